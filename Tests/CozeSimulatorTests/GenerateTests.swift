import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Generated scenarios and rate limits")
struct GenerateTests {
    @Test("The same seed gives the same scenario; another seed a different one")
    func deterministic() {
        let a = Scenario.generate(workspaces: 6, botsPerWorkspace: 3, conversationsPerBot: 4, voices: 10, seed: 42)
        let b = Scenario.generate(workspaces: 6, botsPerWorkspace: 3, conversationsPerBot: 4, voices: 10, seed: 42)
        let c = Scenario.generate(workspaces: 6, botsPerWorkspace: 3, conversationsPerBot: 4, voices: 10, seed: 43)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("Counts follow the parameters and ids are unique 19-digit strings")
    func counts() {
        let scenario = Scenario.generate(workspaces: 5, botsPerWorkspace: 4, conversationsPerBot: 3, voices: 7, seed: 1)
        #expect(scenario.workspaces.count == 5)
        #expect(scenario.bots.count == 20)
        #expect(scenario.conversations.count == 60)
        #expect(scenario.voices.count == 7 + 3)
        #expect(Set(scenario.bots.map { $0.id }).count == 20)
        #expect(scenario.bots.allSatisfy { $0.id.count == 19 })
        #expect(scenario.credentials.map { $0.name } == ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"])
    }

    @Test("Apps and workflows: the counts asked for, every shape the audit handles in each tenant, bots untouched")
    func appsAndWorkflows() {
        let scenario = Scenario.generate(workspaces: 6, botsPerWorkspace: 2, conversationsPerBot: 1, voices: 1, seed: 8,
                                         appsPerWorkspace: 3, workflowsPerWorkspace: 5)
        #expect(scenario.apps.count == 18)
        #expect(scenario.workflows.count == 30)
        #expect(Set(scenario.apps.map(\.id) + scenario.workflows.map(\.id)).count == 48)
        #expect((scenario.apps.map(\.id) + scenario.workflows.map(\.id)).allSatisfy { $0.count == 19 })
        for workspace in scenario.workspaces {
            let apps = scenario.apps.filter { $0.workspaceID == workspace.id }
            let flows = scenario.workflows.filter { $0.workspaceID == workspace.id }
            #expect(apps.contains { $0.isPublished && $0.connectorIDs.contains("1024") }, "an API-published app in \(workspace.id)")
            #expect(flows.contains { $0.mode == "workflow" && $0.publishStatus == "published_online" })
            #expect(flows.contains { $0.mode == "chatflow" })
            // A workflow inside an app names an app of its own workspace.
            for flow in flows { if let app = flow.appID { #expect(apps.map(\.id).contains(app)) } }
        }
        #expect(scenario.apps.contains { $0.publishStatus == "unpublished_draft" })
        #expect(scenario.workflows.contains { $0.publishStatus == "unpublished_draft" })
        #expect(scenario.workflows.contains { $0.appID != nil })
        // Their own random stream: the bots of a seed are what they were without them.
        let without = Scenario.generate(workspaces: 6, botsPerWorkspace: 2, conversationsPerBot: 1, voices: 1, seed: 8,
                                        appsPerWorkspace: 0, workflowsPerWorkspace: 0)
        #expect(without.apps.isEmpty && without.workflows.isEmpty)
        #expect(without.bots == scenario.bots && without.conversations == scenario.conversations && without.voices == scenario.voices)
    }

    @Test("Each workspace is listed by exactly one of personal-pat and enterprise-pat")
    func rolesOverHTTP() async throws {
        let scenario = Scenario.generate(workspaces: 8, botsPerWorkspace: 1, conversationsPerBot: 1, voices: 2, seed: 7)
        try await SimulatorHarness.with(scenario) { sim in
            let personal = try await sim.get("/v1/workspaces?page_size=50", token: SimulatorTokens.personal).ids("workspaces")
            let enterprise = try await sim.get("/v1/workspaces?page_size=50", token: SimulatorTokens.enterprise).ids("workspaces")
            #expect(Set(personal).isDisjoint(with: enterprise))
            #expect(Set(personal + enterprise) == Set(scenario.workspaces.map { $0.id }))
            let expired = try await sim.get("/v1/users/me", token: SimulatorTokens.expired)
            #expect(expired.code == 4100)
        }
    }

    @Test("qps: requests over the per-credential budget answer HTTP 429 with code 4013 until time passes")
    func rateLimit() async throws {
        let clock = ManualSimulatorClock()
        let scenario = Scenario.generate(workspaces: 2, botsPerWorkspace: 1, conversationsPerBot: 1, voices: 1, seed: 3, qps: 2)
        try await SimulatorHarness.with(scenario, clock: clock) { sim in
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await sim.get("/v1/users/me", token: SimulatorTokens.personal).status) }
            #expect(statuses == [200, 200, 429])
            #expect(sim.simulator.requestLog().last?.code == 4013)
            let other = try await sim.get("/v1/users/me", token: SimulatorTokens.enterprise)
            #expect(other.status == 200)
            clock.advance(by: 1)
            let later = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(later.status == 200)
        }
    }

    @Test("latency_ms delays every response")
    func latency() async throws {
        let scenario = Scenario.generate(workspaces: 1, botsPerWorkspace: 1, conversationsPerBot: 1, voices: 1, seed: 3, latencyMS: 80)
        try await SimulatorHarness.with(scenario) { sim in
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(clock.now - started >= .milliseconds(80))
        }
    }
}
