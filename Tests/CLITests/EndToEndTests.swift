import CozeSimulator
import Foundation
import Testing

/// The built binary against the simulator, compared with hand-written expectations.
@Suite("coze-audit end to end", .serialized)
struct EndToEndTests {
    /// The expected findings of a hand-written file (compared with ``expectFindings``) and its inventory.
    func expectation(_ name: String) throws -> (findings: [[String: Any]], inventory: [String: Int]) {
        let data = try Data(contentsOf: AuditFixture.expectedFile(name))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let inventory = try #require(object["inventory"] as? [String: Int])
        return (findings, inventory)
    }

    /// The four credentials of issue 3's expectation: the default scenario has more for later checks.
    static let coreCredentials = ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"]

    func check(scenario: Scenario, credentials: [String]? = nil, expected: String) async throws {
        try await withFixture(scenario, credentials: credentials) { fixture in
        let run = try await fixture.cli(["run"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let report = try await fixture.reportJSON()
        #expect(report["schema"] as? String == "coze-audit.report/v1")
        let expectedResult = try expectation(expected)
        let findings = try #require(report["findings"] as? [[String: Any]])
        expectFindings(findings, expectedResult.findings, expected)
        #expect(report["inventory"] as? [String: Int] == expectedResult.inventory)
        }
    }

    @Test("the default migrated-account scenario yields exactly the hand-written findings")
    func defaultScenario() async throws {
        try await check(scenario: try Scenario.bundled(), credentials: Self.coreCredentials, expected: "migrated-account.findings.json")
    }

    @Test("a second scenario with multi-page bots and conversations yields its hand-written findings")
    func bigTeamScenario() async throws {
        let scenario = try Scenario.load(path: AuditFixture.expectedFile("big-team.scenario.json").path)
        try await check(scenario: scenario, expected: "big-team.findings.json")
    }

    @Test("the crawl pages through 55 bots and 60 conversations with the largest allowed page size")
    func pagination() async throws {
        let scenario = try Scenario.load(path: AuditFixture.expectedFile("big-team.scenario.json").path)
        try await withFixture(scenario) { fixture in
        let first = try await fixture.cli(["run"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let log = fixture.simulator.requestLog()
        let botPages = log.filter { $0.path == "/v1/bots" && $0.credential == "ent-granted" && $0.query["workspace_id"] == "7500000000000000002" }
        #expect(botPages.map { $0.query["page_num"] } == ["1", "2"])
        #expect(botPages.allSatisfy { $0.query["page_size"] == "50" && $0.query["publish_status"] == "all" })
        let conversationPages = log.filter {
            $0.path == "/v1/conversations" && $0.credential == "ent-granted" && $0.query["bot_id"] == "7510000000000000201"
                && $0.query["connector_id"] == "1024"
        }
        #expect(conversationPages.map { $0.query["page_num"] } == ["1", "2"])
        }
    }

    @Test("a run after a scenario change marks exactly the changed findings new")
    func newAfterChange() async throws {
        // enterprise-scoped-pat answers the voices listing (enterprise-pat is denied it), so a new
        // personal voice is proven unseen by the enterprise (docs/evidence.md §5).
        try await withFixture(try Scenario.bundled(), credentials: Self.coreCredentials + ["enterprise-scoped-pat"]) { fixture in
        let first = try await fixture.cli(["run"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        fixture.simulator.update { scenario in
            scenario.voices.append(.init(voiceID: "7430000000000000009", name: "New clone", accountID: "2105850000001", createTime: 1_732_000_000))
            if let index = scenario.credentials.firstIndex(where: { $0.name == "team-pat-2024" }) {
                scenario.credentials[index].status = "expired"
            }
        }
        let second = try await fixture.cli(["run"])
        #expect(second.status == 0)
        let findings = try #require(try await fixture.reportJSON()["findings"] as? [[String: Any]])
        let fresh = findings.filter { $0["new"] as? Bool == true }.map { "\($0["kind"]!):\($0["resource_id"] ?? $0["credential"]!)" }
        #expect(fresh == ["needs_personal_grant:7430000000000000009"])
        // A changed reason keeps the key: team-pat-2024 went from superseded to invalid, not new.
        let team = findings.first { $0["credential"] as? String == "team-pat-2024" }
        #expect(team?["reason"] as? String == "invalid")
        #expect(team?["new"] as? Bool == false)
        #expect(second.stdout.contains("NEW needs_personal_grant: voice 7430000000000000009"))
        }
    }
}
