import CozeSimulator
import CozeTestSupport
import Testing

@testable import CozeAPI

/// The client against the in-process simulator: real HTTP, envelopes, typed errors.
@Suite("Client against the simulator")
struct ClientSimulatorTests {
    @Test("users/me decodes the identity and carries no error for a valid PAT")
    func currentUser() async throws {
        try await SimulatorFixture.with { sim in
            let user = try await sim.client(token: SimulatorTokens.personal).currentUser()
            #expect(user.userID == "2105850000001")
            #expect(user.nickName == "李雷")
        }
    }

    @Test("workspaces are paged across page boundaries with page_num/page_size, each page logged once")
    func workspacePaging() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            var pages: [CozePage<CozeWorkspace>] = []
            for try await page in sim.client(token: PagingScenario.token).workspaces(pageSize: 2) { pages.append(page) }
            #expect(pages.map { $0.items.count } == [2, 2, 1])
            #expect(pages.map { $0.hasMore } == [true, true, false])
            #expect(pages.allSatisfy { $0.total == 5 && $0.logID != nil && $0.endpoint == "GET /v1/workspaces" })
            #expect(Set(pages.flatMap { $0.items.map { $0.id } }).count == 5)
            #expect(pages[0].rawItems[0].contains(#""id":"7610000000000000000""#))
            let log = sim.log("/v1/workspaces")
            #expect(log.map { $0.query["page_num"] } == ["1", "2", "3"])
            #expect(log.allSatisfy { $0.query["page_size"] == "2" })
            #expect(pages.map { $0.logID } == log.map { $0.logID })
        }
    }

    @Test("bots are listed in every publish state with publish_status=all")
    func botsAllStates() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let bots = try await sim.client(token: PagingScenario.token).bots(workspaceID: "7610000000000000000", pageSize: 3).allItems()
            #expect(bots.count == 7)
            #expect(Set(bots.compactMap { $0.isPublished }) == [true, false])
            let log = sim.log("/v1/bots")
            #expect(log.count == 3)
            #expect(log.allSatisfy { $0.query["publish_status"] == "all" && $0.query["workspace_id"] == "7610000000000000000" })
        }
    }

    @Test("conversations are listed per connector and stop on has_more false")
    func conversationsPerConnector() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let client = sim.client(token: PagingScenario.token)
            let api = try await client.conversations(botID: "7710000000000000000", connectorID: "1024", pageSize: 2).allItems()
            let sdk = try await client.conversations(botID: "7710000000000000000", connectorID: "999", pageSize: 2).allItems()
            #expect(api.count == 3 && api.allSatisfy { $0.connectorID == "1024" })
            #expect(sdk.count == 2 && sdk.allSatisfy { $0.connectorID == "999" })
            let log = sim.log("/v1/conversations")
            #expect(log.map { $0.query["connector_id"] } == ["1024", "1024", "999"])
        }
    }

    @Test("voices include every state and system voices")
    func voicesAll() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let voices = try await sim.client(token: PagingScenario.token).voices(pageSize: 3).allItems()
            #expect(voices.count == 4)
            #expect(voices.contains { $0.state == "init" })
            #expect(voices.contains { $0.isSystemVoice == true })
            let log = sim.log("/v1/audio/voices")
            #expect(log.count == 2)
            #expect(log.allSatisfy { $0.query["voice_state"] == "all" && $0.query["filter_system_voice"] == "false" })
        }
    }

    @Test("page sizes are clamped to each endpoint's maximum, which the server enforces with 4000")
    func pageSizeLimit() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let client = sim.client(token: PagingScenario.token)
            _ = try await client.workspaces(pageSize: 500).allItems()
            _ = try await client.voices(pageSize: 500).allItems()
            #expect(sim.log("/v1/workspaces").map { $0.query["page_size"] } == ["50"])
            #expect(sim.log("/v1/audio/voices").map { $0.query["page_size"] } == ["100"])
            let oversized = client.list(path: "/v1/workspaces", query: [], itemsKey: "workspaces", pageSize: 51, as: CozeWorkspace.self)
            let error = await #expect(throws: CozeAPIError.self) { try await oversized.allItems() }
            #expect(error?.code == 4000)
            #expect(error?.classification == .badRequest)
        }
    }

    @Test("an expired PAT gets a typed 4100 with the log id, and no token in the description")
    func invalidToken() async throws {
        try await SimulatorFixture.with { sim in
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.expired).currentUser()
            }
            let logged = try #require(sim.log("/v1/users/me").last)
            #expect(error?.kind == .api)
            #expect(error?.code == 4100)
            #expect(error?.httpStatus == 401)
            #expect(error?.classification == .invalidToken)
            #expect(error?.logID == logged.logID)
            #expect(error?.endpoint == "GET /v1/users/me")
            #expect(error?.hint == nil)  // 127.0.0.1 is not a Coze host
            #expect(error.map { !"\($0)".contains(SimulatorTokens.expired) } == true)
            #expect(sim.log("/v1/users/me").count == 1)  // 4100 is never retried
        }
    }

    @Test("a missing permission point is a typed 4101 (permissionDenied) with the log id")
    func permissionDenied() async throws {
        try await SimulatorFixture.with { sim in
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.team).voices().allItems()
            }
            #expect(error?.code == 4101)
            #expect(error?.classification == .permissionDenied)
            #expect(error?.endpoint == "GET /v1/audio/voices")
            #expect(error?.logID == sim.log("/v1/audio/voices").last?.logID)
            #expect(error.map { !"\($0)".contains(SimulatorTokens.team) } == true)
        }
    }

    @Test("errors sent as HTTP 200 with the code only in the body are still errors")
    func errorsAsHTTP200() async throws {
        var scenario = try Scenario.bundled()
        scenario.errorsAsHTTP200 = true
        try await SimulatorFixture.with(scenario) { sim in
            let denied = await #expect(throws: CozeAPIError.self) { try await sim.client(token: SimulatorTokens.team).voices().allItems() }
            #expect(denied?.httpStatus == 200)
            #expect(denied?.classification == .permissionDenied)
            let invalid = await #expect(throws: CozeAPIError.self) { try await sim.client(token: SimulatorTokens.expired).currentUser() }
            #expect(invalid?.httpStatus == 200)
            #expect(invalid?.classification == .invalidToken)
        }
    }

    @Test("a 4101 that says the token is wrong is a denial, not an invalid token (the token-blaming rule is withdrawn)")
    func wrongToken4101() async throws {
        // The simulator answers unknown tokens with 4100; the 4101 wording comes from real reports
        // (docs/openapi.md §1.6), so this checks the mapping on a hand-built error of that shape.
        let error = CozeAPIError(kind: .api, endpoint: "GET /v1/users/me", httpStatus: 200, code: 4101,
            message: "The token you entered is incorrect. Please double-check and try again.", logID: "L")
        #expect(error.classification == .permissionDenied)
    }

    @Test("a 4100 from api.coze.cn or api.coze.com carries the per-site base_url hint")
    func siteHint() {
        #expect(CozeClient.isCozeHost("https://api.coze.cn"))
        #expect(CozeClient.isCozeHost("https://API.coze.com/"))
        #expect(!CozeClient.isCozeHost("http://127.0.0.1:8080"))
    }
}
