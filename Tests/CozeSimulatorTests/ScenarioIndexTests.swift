import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

/// The simulator answers a listing from lookups by parent (a million-conversation tenant must not
/// be scanned per request); the lookups follow every change made while it runs.
@Suite("Scenario lookups and the minimum crawl")
struct ScenarioIndexTests {
    @Test("A bot and conversations added while running are listed at once; a moved bot leaves its workspace")
    func updatesRebuildLookups() async throws {
        let scenario = Scenario.generate(workspaces: 1, botsPerWorkspace: 2, conversationsPerBot: 3, voices: 1, seed: 4)
        let workspace = scenario.workspaces[0].id
        try await SimulatorHarness.with(scenario) { sim in
            let before = try await sim.get("/v1/bots?workspace_id=\(workspace)&publish_status=all&page_size=50", token: SimulatorTokens.personal)
            #expect(before.ids("items").count == 2)
            sim.simulator.update { scenario in
                var bot = scenario.bots[0]
                bot.id = "7419999999999999999"
                scenario.bots.append(bot)
                scenario.conversations.append(Scenario.Conversation(
                    id: "7429999999999999999", botID: bot.id, accountID: scenario.conversations[0].accountID, name: "new", createdAt: 1_717_000_000))
            }
            let after = try await sim.get("/v1/bots?workspace_id=\(workspace)&publish_status=all&page_size=50", token: SimulatorTokens.personal)
            #expect(after.ids("items").count == 3)
            let conversations = try await sim.get("/v1/conversations?bot_id=7419999999999999999&connector_id=1024", token: SimulatorTokens.personal)
            #expect(conversations.ids("conversations") == ["7429999999999999999"])
            sim.simulator.update { $0.bots[0].workspaceID = "7400000000000009999" }
            let moved = try await sim.get("/v1/bots?workspace_id=\(workspace)&publish_status=all&page_size=50", token: SimulatorTokens.personal)
            #expect(moved.ids("items").count == 2)
        }
    }

    @Test("Minimum requests: users/me, every listing at the largest page size, one request for an empty or refused listing")
    func minimumRequests() {
        // Workspace 1 is always the personal space; one bot; 120 of its conversations on one connector or the other.
        let scenario = Scenario.generate(workspaces: 1, botsPerWorkspace: 1, conversationsPerBot: 120, voices: 150, seed: 3)
        let bot = scenario.bots[0].id
        let api = scenario.conversations.filter { $0.botID == bot && $0.connectorID == "1024" }.count
        let sdk = 120 - api
        let voices = scenario.voices.filter { $0.accountID == nil || $0.accountID == "2105850000001" }.count
        func pages(_ n: Int, _ size: Int) -> Int { max(1, (n + size - 1) / size) }
        // users/me, workspaces, its apps and its workflows of each mode (empty: one request each), bots, …
        let personal = 1 + 1 + (1 + 2) + 1 + pages(api, 50) + pages(sdk, 50) + pages(voices, 100)
        #expect(scenario.minimumAuditRequests() == [
            "personal-pat": personal,
            "old-pat-2024": 1,                 // expired: users/me answers 4100, nothing else is sent
            "team-pat-2024": 1 + 1 + 1,        // users/me, an empty workspace listing, voices refused (4101)
            "enterprise-pat": 1 + 1 + 1,       // the enterprise has no workspace here; voices refused
        ])
    }
}
