import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// The migration guide's checks (docs/product.md §3b) end to end: a workspace migrates between two runs.
@Suite("migration checks end to end", .serialized)
struct MigrationChecksTests {
    static let salesTeam = "7400000000000000002"
    static let extendedKinds: Set<String> = ["app_not_authorized", "workspace_scope_gap", "stranded", "obo_cannot_use_grant", "pat_in_production"]

    /// The default scenario with Sales Team still in the personal account (before the migration).
    static func beforeMigration() throws -> (scenario: Scenario, personal: String, enterprise: String) {
        var scenario = try Scenario.bundled()
        let index = try #require(scenario.workspaces.firstIndex { $0.id == salesTeam })
        let enterprise = scenario.workspaces[index].accountID
        let personal = try #require(scenario.workspaces[index].migratedFrom)
        scenario.workspaces[index].accountID = personal
        return (scenario, personal, enterprise)
    }

    static func migrate(_ fixture: AuditFixture, to enterprise: String) {
        fixture.simulator.update { scenario in
            if let i = scenario.workspaces.firstIndex(where: { $0.id == salesTeam }) { scenario.workspaces[i].accountID = enterprise }
        }
    }

    func extended(_ findings: [[String: Any]]) -> [[String: Any]] {
        findings.filter { Self.extendedKinds.contains($0["kind"] as? String ?? "") }
    }

    @Test("every §3b finding kind appears as hand-written after a migration between two runs")
    func everyExtendedKind() async throws {
        let (scenario, _, enterprise) = try Self.beforeMigration()
        try await withFixture(scenario) { fixture in
            try await fixture.addAppCredentials()
            let first = try await fixture.cli(["run"])
            #expect(first.status == 0, "\(first.stderr)")
            Self.migrate(fixture, to: enterprise)
            let second = try await fixture.cli(["run"])
            #expect(second.status == 0, "\(second.stderr)")
            let data = try Data(contentsOf: AuditFixture.expectedFile("migration-run2.findings.json"))
            let expected = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["findings"] as? [[String: Any]])
            expectFindings(extended(try await fixture.findings()), expected, "migration-run2.findings.json")
            let stranded = try await fixture.findings().first { $0["kind"] as? String == "stranded" }
            #expect(stranded?["last_seen_run"] as? String == "1")
            // The expected file can only give last_seen_at's form (a pattern): it is run 1's start.
            let run1 = try #require(try await fixture.reportJSON(run: 1)["run"] as? [String: Any])
            #expect(stranded?["last_seen_at"] as? String == run1["started_at"] as? String)
            #expect(second.stdout.contains("NEW stranded: conversation 7420000000000000004"))
            let fallback = try await fixture.cli(["fallback"])
            #expect(fallback.stdout.contains("none: conversation:7420000000000000004 \"Before migration\""))
        }
    }

    @Test("stranded_window_days decides: a conversation last seen 25 days ago is not stranded with 20, and is with the default 30")
    func strandedWindow() async throws {
        let (scenario, _, enterprise) = try Self.beforeMigration()
        try await withFixture(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let configWithoutKey = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            try fixture.appendYAML("stranded_window_days: 20\n")
            #expect(try await fixture.cli(["run"]).status == 0)
            // Age run 1 to 25 days before now: outside a 20-day window, inside the default 30 days.
            let queue = try DatabaseQueue(path: fixture.databasePath)
            let old = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-25 * 86_400))
            try await queue.write { db in try db.execute(sql: "UPDATE run SET started_at = ? WHERE id = 1", arguments: [old]) }
            try await queue.close()
            Self.migrate(fixture, to: enterprise)
            #expect(try await fixture.cli(["run"]).status == 0)
            #expect(!(try await fixture.findings()).contains { $0["kind"] as? String == "stranded" })
            // The same history without the key (default 30 days) reports it: the key, not the data, decided.
            try configWithoutKey.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            #expect(try await fixture.cli(["run"]).status == 0)
            let stranded = try await fixture.findings().filter { $0["kind"] as? String == "stranded" }.compactMap { $0["key"] as? String }
            #expect(stranded == ["stranded:conversation:7420000000000000004"])
            let narrow = try await fixture.cli(["query", "stranded", "--param", "window_days=20", "--format", "csv"])
            #expect(!narrow.stdout.contains("stranded:conversation:7420000000000000004"))
        }
    }

    @Test("after the grant and the PAT deletion the findings resolve on the next run and diff says so")
    func followingTheAdviceClosesFindings() async throws {
        let (scenario, personal, enterprise) = try Self.beforeMigration()
        try await withFixture(scenario, credentials: ["personal-pat", "team-pat-2024", "enterprise-pat"]) { fixture in
            #expect(try await fixture.cli(["run"]).status == 0)
            Self.migrate(fixture, to: enterprise)
            #expect(try await fixture.cli(["run"]).status == 0)
            let before = try await fixture.findings().compactMap { $0["key"] as? String }
            #expect(before.contains("stranded:conversation:7420000000000000004"))
            // Evidence rule (docs/evidence.md §5): enterprise-pat's only voice listing was denied, so a
            // grant for the voices is not proven; the permission gap says what to do first.
            #expect(!before.contains("needs_personal_grant:voice:7430000000000000001"))
            #expect(before.contains("enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices"))
            #expect(before.contains("stale_pat:team-pat-2024"))
            // The admin grants enterprise-pat access to personal-account resources (and the voice
            // permission point), and deletes team-pat-2024 as the report advised.
            fixture.simulator.update { scenario in
                if let i = scenario.credentials.firstIndex(where: { $0.name == "enterprise-pat" }) {
                    scenario.credentials[i].personalAccountGrant = personal
                    scenario.credentials[i].deniedEndpoints = []
                }
            }
            var yaml = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "  - name: team-pat-2024\n    side: personal\n    pat: { file: secrets/team-pat-2024.pat }\n", with: "")
            try yaml.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            #expect(try await fixture.cli(["run"]).status == 0)
            let after = try await fixture.findings().compactMap { $0["key"] as? String }
            for key in ["stranded:conversation:7420000000000000004", "needs_personal_grant:voice:7430000000000000001",
                        "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices", "stale_pat:team-pat-2024"] {
                #expect(!after.contains(key), "\(key) should be resolved")
            }
            let diff = try await fixture.cli(["diff", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
            let resolved = (object["findings_resolved"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            #expect(resolved.contains("stranded:conversation:7420000000000000004"))
            #expect(resolved.contains("enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices"))
            #expect(resolved.contains("stale_pat:team-pat-2024"))
            #expect(object["from"] as? String == "2" && object["to"] as? String == "3")
        }
    }
}
