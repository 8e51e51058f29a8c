import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Changing the scenario while it runs")
struct UpdateTests {
    @Test("Granting the enterprise PAT the personal account reveals personal conversations and voices")
    func grantToggle() async throws {
        var scenario = try Scenario.bundled()
        scenario.credentials[3].deniedEndpoints = []
        try await SimulatorHarness.with(scenario) { sim in
            let path = "/v1/conversations?bot_id=7410000000000000003"
            let reply1 = try await sim.get(path, token: SimulatorTokens.enterprise)
            #expect(reply1.ids("conversations") == ["7420000000000000005"])
            let voicesBefore = try await sim.get("/v1/audio/voices?filter_system_voice=true", token: SimulatorTokens.enterprise)
            #expect(voicesBefore.ids("voice_list", field: "voice_id") == ["7430000000000000004"])

            sim.simulator.update { $0.credentials[3].personalAccountGrant = "2105850000001" }
            let reply2 = try await sim.get(path, token: SimulatorTokens.enterprise)
            #expect(reply2.ids("conversations") == ["7420000000000000005", "7420000000000000004"])
            let voicesAfter = try await sim.get("/v1/audio/voices?filter_system_voice=true", token: SimulatorTokens.enterprise)
            #expect(voicesAfter.ids("voice_list", field: "voice_id").count == 3)

            sim.simulator.update { $0.credentials[3].personalAccountGrant = nil }
            let reply3 = try await sim.get(path, token: SimulatorTokens.enterprise)
            #expect(reply3.ids("conversations") == ["7420000000000000005"])
        }
    }

    @Test("Migrating a workspace moves it from the personal to the enterprise listing")
    func migrateWorkspace() async throws {
        try await SimulatorHarness.with { sim in
            sim.simulator.update { scenario in
                let index = scenario.workspaces.firstIndex { $0.id == "7400000000000000004" }!
                scenario.workspaces[index].accountID = "volcano_2105850123"
                scenario.workspaces[index].migratedFrom = "2105850000001"
            }
            let personal = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(personal.ids("workspaces") == ["7400000000000000001"])
            let enterprise = try await sim.get("/v1/workspaces", token: SimulatorTokens.enterprise)
            #expect(enterprise.ids("workspaces").contains("7400000000000000004"))
            let strandedBotConversations = try await sim.get("/v1/conversations?bot_id=7410000000000000006", token: SimulatorTokens.enterprise)
            #expect(strandedBotConversations.code == 0)
            #expect(strandedBotConversations.ids("conversations").isEmpty)
        }
    }

    @Test("Revoking a token makes its next request answer 4100")
    func revoke() async throws {
        try await SimulatorHarness.with { sim in
            let reply4 = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply4.code == 0)
            sim.simulator.update { $0.credentials[0].status = "revoked" }
            let reply5 = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply5.code == 4100)
            #expect(sim.simulator.requestLog().last?.credential == "personal-pat")
        }
    }
}
