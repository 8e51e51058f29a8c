import CozeSimulator
import Foundation
import CozeTestSupport
import Testing

@testable import CozeAPI

/// JWT app auth against the simulator's token endpoint (RS256 verified there).
@Suite("JWT app auth")
struct JWTAppAuthTests {
    static let clientID = "1234567890"
    static let enterpriseID = "volcano_2105850123"

    static func scenario(authorized: Bool = true, ttl: Int64? = nil) throws -> Scenario {
        var scenario = try Scenario.bundled()
        scenario.jwtApps = [
            Scenario.JWTApp(
                name: "enterprise-app", clientID: clientID, keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                enterpriseID: enterpriseID, authorized: authorized, tokenTTLSeconds: ttl)
        ]
        return scenario
    }

    static func auth(scope: JWTTokenScope = .own, clock: TestClock = TestClock()) throws -> JWTAppAuth {
        try JWTAppAuth(clientID: clientID, keyID: DemoAppKey.keyID, privateKeyPEM: DemoAppKey.privateKeyPEM, scope: scope, now: clock.closure)
    }

    static func decodeSegment(_ segment: Substring) throws -> JSONValue {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return try JSONValue(parsing: Array(try #require(Data(base64Encoded: text))))
    }

    @Test("the assertion has the RS256 header with kid and iss/aud/iat/exp/jti claims")
    func assertionShape() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let jwt = try await Self.auth(clock: clock).signedAssertion(baseURL: "http://127.0.0.1:8080/")
        let parts = jwt.split(separator: ".")
        #expect(parts.count == 3)
        let header = try Self.decodeSegment(parts[0])
        #expect(header["alg"]?.stringValue == "RS256")
        #expect(header["typ"]?.stringValue == "JWT")
        #expect(header["kid"]?.stringValue == DemoAppKey.keyID)
        let claims = try Self.decodeSegment(parts[1])
        #expect(claims["iss"]?.stringValue == Self.clientID)
        #expect(claims["aud"]?.stringValue == "127.0.0.1:8080")
        #expect(claims["iat"] == .number("1800000000"))
        #expect(claims["exp"] == .number("1800000600"))
        #expect((claims["jti"]?.stringValue?.count ?? 0) >= 32)
    }

    @Test("aud is the host, with the port only when it is not the scheme's default")
    func audience() {
        #expect(JWTAssertion.audience(for: "https://api.coze.cn") == "api.coze.cn")
        #expect(JWTAssertion.audience(for: "https://api.coze.com:443/") == "api.coze.com")
        #expect(JWTAssertion.audience(for: "http://127.0.0.1:55123") == "127.0.0.1:55123")
    }

    @Test("the fingerprint hashes client_id:key_id, and the enterprise path carries the id")
    func fingerprintAndPaths() throws {
        let auth = try Self.auth()
        #expect(auth.fingerprint == Fingerprint.of("\(Self.clientID):\(DemoAppKey.keyID)"))
        #expect(JWTTokenScope.own.path == "/api/permission/oauth2/token")
        #expect(JWTTokenScope.account("2105850000001").path == "/api/permission/oauth2/account/2105850000001/token")
        #expect(JWTTokenScope.enterprise(Self.enterpriseID).path == "/api/permission/oauth2/enterprise_id/volcano_2105850123/token")
    }

    @Test("a JWT app gets a token at the enterprise path, reuses it, and exposes its expiry")
    func tokenAndReuse() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let auth = try Self.auth(scope: .enterprise(Self.enterpriseID))
            let client = sim.client(auth: auth)
            _ = try await client.currentUser()
            _ = try await client.workspaces().allItems()
            let tokenRequests = sim.simulator.requestLog().filter { $0.path.hasPrefix("/api/permission/oauth2/") }
            #expect(tokenRequests.map { $0.path } == ["/api/permission/oauth2/enterprise_id/volcano_2105850123/token"])
            #expect(tokenRequests.first?.credential == "enterprise-app")
            #expect(sim.log("/v1/users/me").first?.credential == "enterprise-app")
            let expiry = try #require(await auth.tokenExpiry)
            #expect(abs(expiry.timeIntervalSinceNow - 900) < 60)
        }
    }

    @Test("concurrent callers share one token request")
    func singleFlight() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let client = sim.client(auth: try Self.auth())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await client.currentUser() } }
                try await group.waitForAll()
            }
            #expect(sim.log("/api/permission/oauth2/token").count == 1)
            #expect(sim.log("/v1/users/me").count == 8)
        }
    }

    @Test("the token is renewed 60 s before it expires, per the injected clock")
    func refreshAhead() async throws {
        try await SimulatorFixture.with(try Self.scenario(ttl: 900)) { sim in
            let clock = TestClock()
            let client = sim.client(auth: try Self.auth(clock: clock))
            _ = try await client.currentUser()
            clock.advance(by: 830)
            _ = try await client.currentUser()
            #expect(sim.log("/api/permission/oauth2/token").count == 1)
            clock.advance(by: 20)  // 850 s: inside the 60 s margin
            _ = try await client.currentUser()
            #expect(sim.log("/api/permission/oauth2/token").count == 2)
        }
    }

    @Test("a token the API rejects with 4100 before its announced expiry is dropped and replaced, and the request succeeds")
    func invalidatedOn4100() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let serverClock = ManualSimulatorClock(start)
        try await SimulatorFixture.with(try Self.scenario(ttl: 900), clock: serverClock) { sim in
            let clock = TestClock(start)
            let sleeper = RecordingSleeper()
            let client = sim.client(auth: try Self.auth(clock: clock), sleeper: sleeper, maxAttempts: 1)
            _ = try await client.currentUser()
            clock.advance(by: 500)  // the client still trusts its token…
            serverClock.advance(by: 1000)  // …which the server has expired
            // Re-authentication, not a retry: it happens even with maxAttempts 1, at once, once.
            _ = try await client.currentUser()
            #expect(sim.log("/api/permission/oauth2/token").count == 2)
            #expect(sim.log("/v1/users/me").map { $0.code } == [0, 4100, 0])
            #expect(sleeper.sleeps.values.isEmpty)
            // A new token that is rejected too is not renewed again.
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/users/me", kind: .apiError, status: 401, times: 2, code: 4100,
                                                message: "authentication is invalid"))
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.code == 4100)
            #expect(sim.log("/v1/users/me").map { $0.code } == [0, 4100, 0, 4100, 4100])
            #expect(sim.log("/api/permission/oauth2/token").count == 3)
        }
    }

    @Test("an app the enterprise never authorized fails with a typed auth error (access_deny)")
    func notAuthorized() async throws {
        try await SimulatorFixture.with(try Self.scenario(authorized: false)) { sim in
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(auth: try Self.auth(scope: .enterprise(Self.enterpriseID))) { $0.observer = { events.append($0) } }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.kind == .auth)
            #expect(error?.authErrorCode == "access_deny")
            #expect(error?.httpStatus == 403)
            #expect(error?.classification == .permissionDenied)
            #expect(error?.endpoint == "POST /api/permission/oauth2/enterprise_id/volcano_2105850123/token")
            #expect(error?.logID != nil)
            #expect(sim.log("/v1/users/me").isEmpty)
            #expect(events.values.count == 1)
        }
    }

    @Test("an account the app was not shared with is refused at the account path")
    func accountNotAuthorized() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let client = sim.client(auth: try Self.auth(scope: .account("2105850000001")))
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.authErrorCode == "access_deny")
            #expect(sim.log("/api/permission/oauth2/account/2105850000001/token").count == 1)
        }
    }

    @Test("a malformed private key is rejected when the credential is built")
    func badKey() {
        #expect(throws: (any Error).self) {
            try JWTAppAuth(clientID: "1", keyID: "k", privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")
        }
    }
}
