import CozeSimulator
import Foundation
import Testing

@Suite("JWT app token endpoint")
struct JWTAppTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let grant = #"{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}"#

    static func scenario() throws -> Scenario {
        var scenario = try Scenario.bundled()
        scenario.jwtApps = [
            .init(
                name: "enterprise-app", clientID: "1234567890", keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                enterpriseID: "volcano_2105850123", deniedEndpoints: ["GET /v1/audio/voices"]),
            .init(
                name: "personal-app", clientID: "5555", keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                accountID: "2105850000001", authorizedAccountIDs: ["2105850000077"]),
            .init(
                name: "unapproved-app", clientID: "6666", keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                enterpriseID: "volcano_2105850123", authorized: false),
        ]
        return scenario
    }

    static func run(_ body: @Sendable @escaping (SimulatorHarness, ManualSimulatorClock, SimulatorJWTSigner) async throws -> Void) async throws {
        let clock = ManualSimulatorClock(start)
        let signer = try await SimulatorJWTSigner.demo()
        try await SimulatorHarness.with(try scenario(), clock: clock) { sim in
            try await body(sim, clock, signer)
        }
    }

    @Test("A valid JWT gets a czs_ token whose expires_in is absolute and which lists like the app")
    func issuesToken() async throws {
        try await Self.run { sim, _, signer in
            let jwt = try await signer.sign(clientID: "1234567890", issuedAt: Self.start)
            let reply = try await sim.post("/api/permission/oauth2/enterprise_id/volcano_2105850123/token", bearer: jwt, json: Self.grant)
            #expect(reply.status == 200)
            #expect(reply.json?["code"] == nil)
            let token = try #require(reply.json?["access_token"] as? String)
            #expect(token.hasPrefix("czs_"))
            #expect(reply.json?["expires_in"] as? Int == 1_800_000_900)
            #expect(reply.json?["token_type"] as? String == "Bearer")
            let workspaces = try await sim.get("/v1/workspaces", token: token)
            #expect(workspaces.ids("workspaces") == ["7400000000000000002", "7400000000000000003", "7400000000000000005"])
            let voices = try await sim.get("/v1/audio/voices", token: token)
            #expect(voices.code == 4101)
            let log = sim.simulator.requestLog()
            #expect(log.map { $0.credential } == ["enterprise-app", "enterprise-app", "enterprise-app"])
            #expect(log[0].endpoint == "POST /api/permission/oauth2/enterprise_id/volcano_2105850123/token")
        }
    }

    @Test("Issued tokens expire on the injected clock and then answer 4100")
    func tokenExpires() async throws {
        try await Self.run { sim, clock, signer in
            let jwt = try await signer.sign(clientID: "5555", issuedAt: Self.start)
            let reply = try await sim.post("/api/permission/oauth2/token", bearer: jwt, json: Self.grant)
            let token = try #require(reply.json?["access_token"] as? String)
            let r1 = try await sim.get("/v1/users/me", token: token)
            #expect(r1.data?["user_id"] as? String == "2105850000001")
            clock.advance(by: 901)
            let expired = try await sim.get("/v1/users/me", token: token)
            #expect(expired.status == 401 && expired.code == 4100)
            #expect(sim.simulator.requestLog().last?.credential == "personal-app")
        }
    }

    @Test("aud may be api.coze.cn or the request's host:port; anything else is invalid_client")
    func audience() async throws {
        try await Self.run { sim, _, signer in
            let host = String(sim.simulator.baseURL.dropFirst("http://".count))
            let local = try await signer.sign(clientID: "5555", audience: host, issuedAt: Self.start)
            let r2 = try await sim.post("/api/permission/oauth2/token", bearer: local, json: Self.grant)
            #expect(r2.status == 200)
            let wrong = try await signer.sign(clientID: "5555", audience: "api.example.com", issuedAt: Self.start)
            let reply = try await sim.post("/api/permission/oauth2/token", bearer: wrong, json: Self.grant)
            #expect(reply.status == 401)
            #expect(reply.json?["error_code"] as? String == "invalid_client")
            #expect(reply.json?["error"] as? String == "invalid_client")
            #expect(reply.json?["error_message"] is String && reply.json?["error_description"] is String)
            #expect(reply.logID != nil)
        }
    }

    @Test("A wrong kid, a reused jti, an expired JWT, a forged signature and an unknown issuer are refused")
    func refusals() async throws {
        try await Self.run { sim, _, signer in
            let path = "/api/permission/oauth2/token"
            let otherKid = try await SimulatorJWTSigner(privateKeyPEM: DemoAppKey.privateKeyPEM, keyID: "other")
            let cases: [String] = [
                try await otherKid.sign(clientID: "5555", issuedAt: Self.start),
                try await signer.sign(clientID: "5555", issuedAt: Self.start.addingTimeInterval(-7200)),
                try await signer.sign(clientID: "9999", issuedAt: Self.start),
                Self.forge(try await signer.sign(clientID: "5555", issuedAt: Self.start)),
                "not-a-jwt",
            ]
            for jwt in cases {
                let reply = try await sim.post(path, bearer: jwt, json: Self.grant)
                #expect(reply.status == 401)
                #expect(reply.json?["error_code"] as? String == "invalid_client")
            }
            let once = try await signer.sign(clientID: "5555", issuedAt: Self.start, jti: "jti-used-once-0123456789abcdef0123")
            let r3 = try await sim.post(path, bearer: once, json: Self.grant)
            #expect(r3.status == 200)
            let r4 = try await sim.post(path, bearer: once, json: Self.grant)
            #expect(r4.json?["error_code"] as? String == "invalid_client")
        }
    }

    @Test("Account and enterprise paths answer access_deny for accounts that never authorized the app")
    func authorization() async throws {
        try await Self.run { sim, _, signer in
            func request(_ path: String, client: String, body: String = JWTAppTests.grant) async throws -> Reply {
                try await sim.post(path, bearer: try await signer.sign(clientID: client, issuedAt: JWTAppTests.start), json: body)
            }
            let goStyle = #"{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900,"client_id":"5555","account_id":2105850000077}"#
            let r5 = try await request("/api/permission/oauth2/account/2105850000077/token", client: "5555", body: goStyle)
            #expect(r5.status == 200)
            let r6 = try await request("/api/permission/oauth2/account/2105850000001/token", client: "5555")
            #expect(r6.status == 200)
            let stranger = try await request("/api/permission/oauth2/account/2105850000042/token", client: "5555")
            #expect(stranger.status == 403 && stranger.json?["error_code"] as? String == "access_deny")
            let otherEnterprise = try await request("/api/permission/oauth2/enterprise_id/other_corp/token", client: "1234567890")
            #expect(otherEnterprise.json?["error_code"] as? String == "access_deny")
            let unapproved = try await request("/api/permission/oauth2/enterprise_id/volcano_2105850123/token", client: "6666")
            #expect(unapproved.status == 403 && unapproved.json?["error_code"] as? String == "access_deny")
            #expect(sim.simulator.requestLog().last?.credential == "unapproved-app")
            let badGrant = try await request("/api/permission/oauth2/token", client: "5555", body: #"{"grant_type":"password"}"#)
            #expect(badGrant.json?["error_code"] as? String == "unsupported_grant_type")
        }
    }

    @Test("A grant given to the app later applies to tokens it already issued")
    func grantAppliesToIssuedTokens() async throws {
        try await Self.run { sim, _, signer in
            let jwt = try await signer.sign(clientID: "1234567890", issuedAt: Self.start)
            let reply = try await sim.post("/api/permission/oauth2/enterprise_id/volcano_2105850123/token", bearer: jwt, json: Self.grant)
            let token = try #require(reply.json?["access_token"] as? String)
            let path = "/v1/conversations?bot_id=7410000000000000003"
            let r7 = try await sim.get(path, token: token)
            #expect(r7.ids("conversations") == ["7420000000000000005"])
            sim.simulator.update { $0.jwtApps[0].personalAccountGrant = "2105850000001" }
            let r8 = try await sim.get(path, token: token)
            #expect(r8.ids("conversations").count == 2)
        }
    }

    @Test("Faults apply to the token endpoint too: a scripted 500, then a token")
    func tokenEndpointFault() async throws {
        try await Self.run { sim, _, signer in
            sim.simulator.inject(.init(endpoint: "POST /api/permission/oauth2/token", kind: .httpStatus, status: 500, times: 1))
            let failed = try await sim.post("/api/permission/oauth2/token", bearer: try await signer.sign(clientID: "5555", issuedAt: Self.start), json: Self.grant)
            #expect(failed.status == 500)
            let ok = try await sim.post("/api/permission/oauth2/token", bearer: try await signer.sign(clientID: "5555", issuedAt: Self.start), json: Self.grant)
            #expect(ok.status == 200)
        }
    }

    /// Flips one character of the signature.
    static func forge(_ jwt: String) -> String {
        var parts = jwt.split(separator: ".").map(String.init)
        let last = parts[2]
        let flipped: Character = last.first == "A" ? "B" : "A"
        parts[2] = String(flipped) + last.dropFirst()
        return parts.joined(separator: ".")
    }
}
