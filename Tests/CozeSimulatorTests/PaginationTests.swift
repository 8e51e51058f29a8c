import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Pagination and parameter validation")
struct PaginationTests {
    @Test("page_size above the documented maximum answers 4000 with HTTP 400", arguments: [
        "/v1/workspaces?page_size=51",
        "/v1/bots?workspace_id=7400000000000000001&page_size=51",
        "/v1/conversations?bot_id=7410000000000000001&page_size=51",
        "/v1/audio/voices?page_size=101",
        "/v1/audio/voices?page_size=0",
        "/v1/workspaces?page_num=0",
        "/v1/workspaces?page_num=abc",
    ])
    func pageSizeLimits(path: String) async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get(path, token: SimulatorTokens.personal)
            #expect(reply.status == 400)
            #expect(reply.code == 4000)
        }
    }

    @Test("The maximum page sizes are accepted")
    func maximumAccepted() async throws {
        try await SimulatorHarness.with { sim in
            let reply1 = try await sim.get("/v1/workspaces?page_size=50", token: SimulatorTokens.personal)
            #expect(reply1.code == 0)
            let reply2 = try await sim.get("/v1/audio/voices?page_size=100", token: SimulatorTokens.personal)
            #expect(reply2.code == 0)
        }
    }

    @Test("Bad enums and missing required parameters answer 4000", arguments: [
        "/v1/bots",
        "/v1/bots?workspace_id=7400000000000000001&publish_status=draft",
        "/v1/bots?workspace_id=7400000000000000001&publish_status=unpublished_draft&connector_id=1024",
        "/v1/conversations",
        "/v1/conversations?bot_id=7410000000000000001&connector_id=10000122",
        "/v1/conversations?bot_id=7410000000000000001&sort_order=up",
        "/v1/audio/voices?voice_state=done",
        "/v1/audio/voices?model_type=huge",
        "/v1/conversation/retrieve",
        "/v1/space/published_bots_list",
    ])
    func badParameters(path: String) async throws {
        try await SimulatorHarness.with { sim in
            let reply3 = try await sim.get(path, token: SimulatorTokens.personal)
            #expect(reply3.code == 4000)
        }
    }

    @Test("Pages of one walk the whole list: total on workspaces, has_more on voices")
    func walkPages() async throws {
        try await SimulatorHarness.with { sim in
            let first = try await sim.get("/v1/workspaces?page_num=1&page_size=1", token: SimulatorTokens.enterprise)
            let second = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: SimulatorTokens.enterprise)
            let beyond = try await sim.get("/v1/workspaces?page_num=9&page_size=1", token: SimulatorTokens.enterprise)
            #expect(first.ids("workspaces") == ["7400000000000000002"])
            #expect(second.ids("workspaces") == ["7400000000000000003"])
            #expect(beyond.ids("workspaces").isEmpty)
            #expect(first.data?["total_count"] as? Int == 3)

            var voices: [String] = []
            var page = 1
            while true {
                let reply = try await sim.get("/v1/audio/voices?voice_state=all&page_size=2&page_num=\(page)", token: SimulatorTokens.personal)
                voices += reply.ids("voice_list", field: "voice_id")
                guard reply.data?["has_more"] as? Bool == true else { break }
                page += 1
            }
            #expect(voices.count == 6)
            #expect(page == 3)
        }
    }

    @Test("/v1/bots accepts page_index as cozepy sends it")
    func pageIndexAlias() async throws {
        try await SimulatorHarness.with { sim in
            let path = "/v1/bots?workspace_id=7400000000000000001&publish_status=all&page_size=1"
            let second = try await sim.get(path + "&page_index=2", token: SimulatorTokens.personal)
            #expect(second.ids("items") == ["7410000000000000002"])
            #expect(second.data?["total"] as? Int == 2)
        }
    }

    @Test("Conversations sort by creation time, newest first unless sort_order=ASC")
    func conversationOrder() async throws {
        var scenario = try Scenario.bundled()
        scenario.conversations.append(
            .init(id: "7420000000000000099", botID: "7410000000000000001", accountID: "2105850000001", name: "later", createdAt: 1_720_000_000))
        try await SimulatorHarness.with(scenario) { sim in
            let desc = try await sim.get("/v1/conversations?bot_id=7410000000000000001", token: SimulatorTokens.personal)
            #expect(desc.ids("conversations") == ["7420000000000000099", "7420000000000000001"])
            let asc = try await sim.get("/v1/conversations?bot_id=7410000000000000001&sort_order=ASC", token: SimulatorTokens.personal)
            #expect(asc.ids("conversations") == ["7420000000000000001", "7420000000000000099"])
            #expect(asc.data?["has_more"] as? Bool == false)
        }
    }
}
