import AsyncHTTPClient
import CozeSimulator
import CozeTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Each quirk over real HTTP: the default answer first, then the same requests with the quirk
/// switched on at run time through `update` (or from the scenario), so both sides are shown.
@Suite("Quirks")
struct QuirkTests {
    static let enterpriseScoped = "pat_sim_entscoped_U2NvcGVkIHRvIOWuouacjQ"
    static let blamingMessage = "The token you entered is incorrect. Please check and try again."

    static func run(
        _ quirks: [Scenario.Quirk] = [], _ body: @Sendable @escaping (SimulatorHarness) async throws -> Void
    ) async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = quirks
        try await SimulatorHarness.with(scenario, body)
    }

    static func turnOn(_ quirk: Scenario.Quirk, in sim: SimulatorHarness) {
        sim.simulator.update { $0.quirks = [quirk] }
    }

    // MARK: - Scenario format

    @Test("\"quirks\" decodes by name, defaults to none and round-trips")
    func decodes() throws {
        let json = #"{"name":"q","quirks":["gateway_502","omit_has_more_false","bots_page_index_only"]}"#
        let scenario = try Scenario.decode(Data(json.utf8))
        #expect(scenario.quirks == [.gateway502, .omitHasMoreFalse, .botsPageIndexOnly])
        #expect(scenario.has(.gateway502) && !scenario.has(.gateway404))
        #expect(try Scenario.decode(try scenario.jsonData()) == scenario)
        #expect(try Scenario.decode(Data(#"{"name":"none"}"#.utf8)).quirks.isEmpty)
        #expect(try Scenario.bundled().quirks.isEmpty)
        let every = "[" + Scenario.Quirk.names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        #expect(try Scenario.decode(Data(#"{"quirks":\#(every)}"#.utf8)).quirks == Scenario.Quirk.allCases)
    }

    @Test("An unknown quirk name fails to decode, naming it and listing the valid ones")
    func unknownName() throws {
        let json = #"{"name":"q","quirks":["gateway_404","gateway_418"]}"#
        let error = #expect(throws: ScenarioError.self) { try Scenario.decode(Data(json.utf8), source: "quirky.json") }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("quirky.json"))
        #expect(text.contains(#"unknown quirk "gateway_418""#))
        #expect(Scenario.Quirk.names.allSatisfy(text.contains))
    }

    // MARK: - Pagination parameters of /v1/bots

    static let botsPage = "/v1/bots?workspace_id=7400000000000000001&publish_status=all&page_size=1"

    @Test("bots_page_index_only: page_num is ignored (page 1 again), page_index is honoured")
    func botsPageIndexOnly() async throws {
        try await Self.run { sim in
            #expect(try await sim.get(Self.botsPage + "&page_num=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000002"])
            #expect(try await sim.get(Self.botsPage + "&page_index=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000002"])

            Self.turnOn(.botsPageIndexOnly, in: sim)
            let byNum = try await sim.get(Self.botsPage + "&page_num=2", token: SimulatorTokens.personal)
            #expect(byNum.code == 0)
            #expect(byNum.ids("items") == ["7410000000000000001"])
            #expect(byNum.data?["total"] as? Int == 2)
            #expect(try await sim.get(Self.botsPage + "&page_index=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000002"])
            #expect(try await sim.get(Self.botsPage + "&page_num=0", token: SimulatorTokens.personal).code == 0)
        }
    }

    @Test("bots_page_num_only: page_index is ignored (page 1 again), page_num is honoured")
    func botsPageNumOnly() async throws {
        try await Self.run { sim in
            #expect(try await sim.get(Self.botsPage + "&page_index=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000002"])

            Self.turnOn(.botsPageNumOnly, in: sim)
            #expect(try await sim.get(Self.botsPage + "&page_index=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000001"])
            #expect(try await sim.get(Self.botsPage + "&page_num=2", token: SimulatorTokens.personal).ids("items") == ["7410000000000000002"])
            // Other listings keep their own parameter.
            let workspaces = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: SimulatorTokens.enterprise)
            #expect(workspaces.ids("workspaces") == ["7400000000000000003"])
        }
    }

    // MARK: - total_count of /v1/workspaces

    @Test("total_all_joined: total_count counts every workspace of the user's accounts; pages list only the token's")
    func totalAllJoined() async throws {
        try await Self.run { sim in
            let scoped = try await sim.get("/v1/workspaces", token: Self.enterpriseScoped)
            #expect(scoped.ids("workspaces") == ["7400000000000000003"])
            #expect(scoped.data?["total_count"] as? Int == 1)
            let team = try await sim.get("/v1/workspaces", token: SimulatorTokens.team)
            #expect(team.data?["total_count"] as? Int == 0)
            let filtered = try await sim.get("/v1/workspaces?enterprise_id=volcano_2105850123", token: SimulatorTokens.enterprise)
            #expect(filtered.data?["total_count"] as? Int == 3)

            Self.turnOn(.totalAllJoined, in: sim)
            let scopedJoined = try await sim.get("/v1/workspaces", token: Self.enterpriseScoped)
            #expect(scopedJoined.ids("workspaces") == ["7400000000000000003"])
            #expect(scopedJoined.data?["total_count"] as? Int == 5)
            let teamJoined = try await sim.get("/v1/workspaces", token: SimulatorTokens.team)
            #expect(teamJoined.ids("workspaces").isEmpty)
            #expect(teamJoined.data?["total_count"] as? Int == 5)
            let filteredJoined = try await sim.get("/v1/workspaces?enterprise_id=volcano_2105850123", token: SimulatorTokens.enterprise)
            #expect(filteredJoined.ids("workspaces") == ["7400000000000000002", "7400000000000000003", "7400000000000000005"])
            #expect(filteredJoined.data?["total_count"] as? Int == 5)
            let personal = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(personal.ids("workspaces") == ["7400000000000000001", "7400000000000000004"])
            #expect(personal.data?["total_count"] as? Int == 5)
            let beyond = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: Self.enterpriseScoped)
            #expect(beyond.ids("workspaces").isEmpty)
            #expect(beyond.data?["total_count"] as? Int == 5)
        }
    }

    // MARK: - Error texts

    @Test("token_blaming_4101: every 4101 blames the token; code, status and other answers unchanged")
    func tokenBlaming() async throws {
        try await Self.run { sim in
            let denied = try await sim.get("/v1/audio/voices", token: SimulatorTokens.team)
            #expect(denied.status == 403 && denied.code == 4101)
            #expect(denied.json?["msg"] as? String != Self.blamingMessage)

            Self.turnOn(.tokenBlaming4101, in: sim)
            let deniedEndpoint = try await sim.get("/v1/audio/voices", token: SimulatorTokens.team)
            #expect(deniedEndpoint.status == 403 && deniedEndpoint.code == 4101)
            #expect(deniedEndpoint.json?["msg"] as? String == Self.blamingMessage)
            let foreignWorkspace = try await sim.get("/v1/bots?workspace_id=7400000000000000001", token: SimulatorTokens.enterprise)
            #expect(foreignWorkspace.status == 403 && foreignWorkspace.code == 4101)
            #expect(foreignWorkspace.json?["msg"] as? String == Self.blamingMessage)
            let foreignBot = try await sim.get("/v1/conversations?bot_id=7410000000000000001", token: SimulatorTokens.enterprise)
            #expect(foreignBot.code == 4101 && foreignBot.json?["msg"] as? String == Self.blamingMessage)
            let me = try await sim.get("/v1/users/me", token: SimulatorTokens.team)
            #expect(me.code == 0)
            let expired = try await sim.get("/v1/users/me", token: SimulatorTokens.expired)
            #expect(expired.code == 4100 && expired.json?["msg"] as? String != Self.blamingMessage)

            sim.simulator.update { $0.credentials[2].deniedEndpoints.append("GET /v1/users/me") }
            let deniedMe = try await sim.get("/v1/users/me", token: SimulatorTokens.team)
            #expect(deniedMe.code == 4101 && deniedMe.json?["msg"] as? String == Self.blamingMessage)
        }
    }

    // MARK: - Gateway pages

    static let unrouted: [(HTTPMethod, String)] = [
        (.GET, "/gateway/v1/users/me"),
        (.POST, "/gateway/api/permission/oauth2/token"),
        (.POST, "/api/permission/oauth2/enterprise/volcano_2105850123/token"),
        (.GET, "/api/permission/oauth2/token"),
        (.DELETE, "/v1/bots"),
        (.GET, "/"),
    ]

    @Test("gateway_404/403/502: an unrouted METHOD /path gets the nginx page before authentication", arguments: [
        (quirk: Scenario.Quirk.gateway404, status: 404, title: "404 Not Found"),
        (quirk: Scenario.Quirk.gateway403, status: 403, title: "403 Forbidden"),
        (quirk: Scenario.Quirk.gateway502, status: 502, title: "502 Bad Gateway"),
    ])
    func gateway(page: (quirk: Scenario.Quirk, status: Int, title: String)) async throws {
        let (quirk, status, title) = page
        try await Self.run { sim in
            let apiPath = try await sim.get("/gateway/v1/users/me", token: SimulatorTokens.personal)
            #expect(apiPath.status == 404 && apiPath.code == 4200 && apiPath.logID != nil)
            let anonymous = try await sim.get("/gateway/v1/users/me", token: nil)
            #expect(anonymous.status == 401 && anonymous.code == 4100)
            let oauthPath = try await sim.send(.POST, "/api/permission/oauth2/nope", token: nil, body: "{}")
            #expect(oauthPath.status == 404 && oauthPath.json?["error_code"] as? String == "invalid_request")

            Self.turnOn(quirk, in: sim)
            sim.simulator.clearRequestLog()
            let page = "<html><head><title>\(title)</title></head><body><center><h1>\(title)</h1></center>"
                + "<hr><center>nginx</center></body></html>"
            for (method, path) in Self.unrouted {
                for token in [SimulatorTokens.personal, nil] {
                    let reply = try await sim.send(method, path, token: token, body: method == .POST ? "{}" : nil)
                    #expect(reply.status == status, "\(method) \(path)")
                    #expect(reply.headers.first(name: "Content-Type") == "text/html")
                    #expect(reply.text == page)
                    #expect(reply.json == nil && reply.logID == nil)
                }
            }
            #expect(sim.simulator.requestLog().allSatisfy { $0.httpStatus == status && $0.code == -1 && $0.credential == nil })
            // Routed requests are untouched: the API, and the OAuth routes.
            #expect(try await sim.get("/v1/users/me", token: SimulatorTokens.personal).code == 0)
            #expect(try await sim.get("/v1/users/me", token: nil).code == 4100)
            let device = try await sim.post("/api/permission/oauth2/device/code", bearer: nil, json: #"{"client_id":"1180000000000000001"}"#)
            #expect(device.status == 200 && device.json?["device_code"] is String)
        }
    }

    // MARK: - Site mismatch

    @Test("reject_all_tokens: 4100 for every token, invalid_client for JWTs, invalid_grant for refresh")
    func rejectAllTokens() async throws {
        let signer = try await SimulatorJWTSigner.demo()
        let grant = #"{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}"#
        let jwtPath = "/api/permission/oauth2/enterprise_id/volcano_2105850123/token"
        try await Self.run { sim in
            #expect(try await sim.get("/v1/workspaces", token: SimulatorTokens.personal).code == 0)
            let issued = try await sim.post(jwtPath, bearer: try await signer.sign(clientID: "1170000000000000001"), json: grant)
            let appToken = try #require(issued.json?["access_token"] as? String)
            let refresh = try await Self.deviceLogin(sim)

            Self.turnOn(.rejectAllTokens, in: sim)
            sim.simulator.clearRequestLog()
            for token in [SimulatorTokens.personal, SimulatorTokens.enterprise, appToken] {
                for path in ["/v1/users/me", "/v1/workspaces", "/v1/audio/voices"] {
                    let reply = try await sim.get(path, token: token)
                    #expect(reply.status == 401 && reply.code == 4100, "\(path)")
                    #expect(reply.json?["msg"] as? String == "authentication is invalid")
                }
            }
            #expect(sim.simulator.requestLog().first?.credential == "personal-pat")
            let jwtRequests = [
                (path: jwtPath, clientID: "1170000000000000001"),
                (path: "/api/permission/oauth2/token", clientID: "1170000000000000002"),
                (path: "/api/permission/oauth2/account/2105850000001/token", clientID: "1170000000000000002"),
            ]
            for (path, clientID) in jwtRequests {
                let jwt = try await signer.sign(clientID: clientID)
                let refused = try await sim.post(path, bearer: jwt, json: grant)
                #expect(refused.status == 401, "\(path)")
                #expect(refused.json?["error_code"] as? String == "invalid_client")
                #expect(refused.json?["error_message"] is String)
                #expect(refused.json?["access_token"] == nil)
            }
            let refreshBody = #"{"client_id":"1180000000000000001","grant_type":"refresh_token","refresh_token":"\#(refresh)"}"#
            let refused = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: refreshBody)
            #expect(refused.status == 400 && refused.json?["error_code"] as? String == "invalid_grant")

            sim.simulator.update { $0.quirks = [] }
            #expect(try await sim.get("/v1/users/me", token: appToken).code == 0)
            let refreshed = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: refreshBody)
            #expect(refreshed.json?["access_token"] is String)
        }
    }

    /// Device-code login of the bundled OAuth app; returns the refresh token.
    static func deviceLogin(_ sim: SimulatorHarness) async throws -> String {
        let code = try await sim.post("/api/permission/oauth2/device/code", bearer: nil, json: #"{"client_id":"1180000000000000001"}"#)
        let device = try #require(code.json?["device_code"] as? String)
        #expect(sim.simulator.approveDeviceCode(userCode: try #require(code.json?["user_code"] as? String)))
        let body = #"{"client_id":"1180000000000000001","grant_type":"urn:ietf:params:oauth:grant-type:device_code","device_code":"\#(device)"}"#
        let tokens = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: body)
        return try #require(tokens.json?["refresh_token"] as? String)
    }

    // MARK: - JWT token paths

    @Test("jwt_enterprise_path_refused: enterprise_id/{id}/token is refused, account/{id}/token serves the enterprise")
    func jwtEnterprisePathRefused() async throws {
        let signer = try await SimulatorJWTSigner.demo()
        let grant = #"{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}"#
        let enterprisePath = "/api/permission/oauth2/enterprise_id/volcano_2105850123/token"
        let accountPath = "/api/permission/oauth2/account/volcano_2105850123/token"
        try await Self.run { sim in
            let viaEnterprise = try await sim.post(enterprisePath, bearer: try await signer.sign(clientID: "1170000000000000001"), json: grant)
            #expect(viaEnterprise.status == 200 && viaEnterprise.json?["access_token"] is String)
            let viaAccount = try await sim.post(accountPath, bearer: try await signer.sign(clientID: "1170000000000000001"), json: grant)
            #expect(viaAccount.status == 403 && viaAccount.json?["error_code"] as? String == "access_deny")

            Self.turnOn(.jwtEnterprisePathRefused, in: sim)
            let refused = try await sim.post(enterprisePath, bearer: try await signer.sign(clientID: "1170000000000000001"), json: grant)
            #expect(refused.status == 403 && refused.json?["error_code"] as? String == "access_deny")
            let served = try await sim.post(accountPath, bearer: try await signer.sign(clientID: "1170000000000000001"), json: grant)
            #expect(served.status == 200)
            let token = try #require(served.json?["access_token"] as? String)
            let workspaces = try await sim.get("/v1/workspaces", token: token)
            #expect(workspaces.ids("workspaces") == ["7400000000000000002", "7400000000000000003", "7400000000000000005"])
            #expect(sim.simulator.requestLog().last?.credential == "enterprise-app")
            // The personal app's own account is unaffected; an unauthorized app stays refused.
            let personal = try await sim.post(
                "/api/permission/oauth2/account/2105850000001/token", bearer: try await signer.sign(clientID: "1170000000000000002"), json: grant)
            #expect(personal.status == 200)
            let legacy = try await sim.post(accountPath, bearer: try await signer.sign(clientID: "1170000000000000003"), json: grant)
            #expect(legacy.status == 403 && legacy.json?["error_code"] as? String == "access_deny")
        }
    }

    // MARK: - Listing shape

    @Test("omit_has_more_false: conversations and voices leave out has_more when it is false")
    func omitHasMoreFalse() async throws {
        let lastPages = ["/v1/conversations?bot_id=7410000000000000001", "/v1/audio/voices", "/v1/audio/voices?page_size=2&page_num=3"]
        try await Self.run { sim in
            for path in lastPages {
                #expect(try await sim.get(path, token: SimulatorTokens.personal).data?["has_more"] as? Bool == false, "\(path)")
            }

            Self.turnOn(.omitHasMoreFalse, in: sim)
            for path in lastPages {
                let reply = try await sim.get(path, token: SimulatorTokens.personal)
                #expect(reply.code == 0)
                #expect(reply.data?.keys.contains("has_more") == false, "\(path)")
            }
            let more = try await sim.get("/v1/audio/voices?page_size=2", token: SimulatorTokens.personal)
            #expect(more.data?["has_more"] as? Bool == true)
            #expect(more.ids("voice_list", field: "voice_id").count == 2)
        }
    }

    @Test("omit_items_key_on_last_page: an empty last page has no items key; totals and has_more still say it is the last")
    func omitItemsKeyOnLastPage() async throws {
        let emptyPages: [(path: String, token: String, key: String)] = [
            ("/v1/workspaces", SimulatorTokens.team, "workspaces"),
            ("/v1/workspaces?page_num=9&page_size=1", SimulatorTokens.personal, "workspaces"),
            ("/v1/bots?workspace_id=7400000000000000001&page_num=9", SimulatorTokens.personal, "items"),
            ("/v1/conversations?bot_id=7410000000000000006&connector_id=999", SimulatorTokens.personal, "conversations"),
            ("/v1/audio/voices?page_num=9", SimulatorTokens.personal, "voice_list"),
        ]
        try await Self.run { sim in
            for page in emptyPages {
                let reply = try await sim.get(page.path, token: page.token)
                #expect(reply.code == 0)
                #expect((reply.data?[page.key] as? [Any])?.isEmpty == true, "\(page.path)")
            }

            Self.turnOn(.omitItemsKeyOnLastPage, in: sim)
            for page in emptyPages {
                let reply = try await sim.get(page.path, token: page.token)
                #expect(reply.code == 0)
                #expect(reply.data?.keys.contains(page.key) == false, "\(page.path)")
            }
            let team = try await sim.get("/v1/workspaces", token: SimulatorTokens.team)
            #expect(team.data?["total_count"] as? Int == 0)
            let beyond = try await sim.get("/v1/workspaces?page_num=9&page_size=1", token: SimulatorTokens.personal)
            #expect(beyond.data?["total_count"] as? Int == 2)
            let bots = try await sim.get("/v1/bots?workspace_id=7400000000000000001&page_num=9", token: SimulatorTokens.personal)
            #expect(bots.data?["total"] as? Int == 1)
            let conversations = try await sim.get("/v1/conversations?bot_id=7410000000000000006&connector_id=999", token: SimulatorTokens.personal)
            #expect(conversations.data?["has_more"] as? Bool == false)
            let voices = try await sim.get("/v1/audio/voices?page_num=9", token: SimulatorTokens.personal)
            #expect(voices.data?["has_more"] as? Bool == false)
            // Pages with items keep their key.
            #expect(try await sim.get("/v1/workspaces", token: SimulatorTokens.personal).ids("workspaces").count == 2)
            let lastWithItems = try await sim.get("/v1/audio/voices?page_size=2&page_num=3", token: SimulatorTokens.personal)
            #expect(lastWithItems.ids("voice_list", field: "voice_id").count == 1)
            #expect(lastWithItems.data?["has_more"] as? Bool == false)
        }
    }

    @Test("Quirks from the scenario apply from the first request, and update can switch them off")
    func fromScenario() async throws {
        try await Self.run([.omitHasMoreFalse, .gateway502]) { sim in
            let conversations = "/v1/conversations?bot_id=7410000000000000001"
            let quirky = try await sim.get(conversations, token: SimulatorTokens.personal)
            #expect(quirky.code == 0 && quirky.data?.keys.contains("has_more") == false)
            let gateway = try await sim.get("/nowhere", token: nil)
            #expect(gateway.status == 502)
            sim.simulator.update { $0.quirks.removeAll() }
            let normal = try await sim.get(conversations, token: SimulatorTokens.personal)
            #expect(normal.data?["has_more"] as? Bool == false)
            let unrouted = try await sim.get("/nowhere", token: nil)
            #expect(unrouted.code == 4100)
        }
    }
}
