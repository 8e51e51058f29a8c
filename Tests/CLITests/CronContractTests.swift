import CozeSimulator
import Foundation
import Testing

/// What cron relies on: exit codes per --fail-on, quiet output, accepted findings.
@Suite("cron contract", .serialized)
struct CronContractTests {
    /// enterprise-scoped-pat answers the voices listing that enterprise-pat is denied: a voice only the
    /// personal PAT sees is then proven unseen by the enterprise (docs/evidence.md §5).
    static let credentials = ["personal-pat", "enterprise-pat", "enterprise-scoped-pat"]

    @Test("--fail-on none|new|any: exit 1 only when findings match, quiet one-line output when nothing is new")
    func failOn() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            let first = try await fixture.cli(["run", "--fail-on", "new"])
            #expect(first.status == 1)
            #expect(first.stdout.contains("NEW needs_personal_grant"))
            let second = try await fixture.cli(["run", "--fail-on", "new"])
            #expect(second.status == 0)
            #expect(second.stdout.split(separator: "\n").count == 1, "cron output: \(second.stdout)")
            #expect(second.stdout.contains("(0 new)"))
            let none = try await fixture.cli(["run", "--fail-on", "none"])
            #expect(none.status == 0)
            let byDefault = try await fixture.cli(["run"])
            #expect(byDefault.status == 0)
            let any = try await fixture.cli(["run", "--fail-on", "any"])
            #expect(any.status == 1)
            let verbose = try await fixture.cli(["run", "--verbose"])
            #expect(verbose.stdout.contains("    needs_personal_grant: voice 7430000000000000001"))
            #expect(verbose.stderr.isEmpty, "no progress or log noise without a TTY: \(verbose.stderr)")
        }
    }

    @Test("accepted findings do not fail the run; an expired acceptance counts again")
    func acceptances() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            let base = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            try (base + """
                accept:
                  - key: "needs_personal_grant:*"
                    reason: "voices move in Q1"
                  - key: "not_visible_to_enterprise:*"
                    reason: "personal workspace stays"
                    expires: 2999-12-31
                  - key: "pat_still_required:personal-pat"
                    reason: "needed until the grant"
                  - key: "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices"
                    reason: "ticket OPS-12"
                  - key: "pat_in_production:*"
                    reason: "test tenant"
                  - key: "workspace_scope_gap:enterprise-scoped-pat:*"
                    reason: "scoped on purpose"

                """).write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let accepted = try await fixture.cli(["run", "--fail-on", "any"])
            #expect(accepted.status == 0, "\(accepted.stdout)")
            let findings = try await fixture.findings()
            #expect(!findings.isEmpty && findings.allSatisfy { $0["accepted"] != nil })
            // Expired yesterday: the same findings count again.
            try (base + """
                accept:
                  - key: "needs_personal_grant:*"
                    reason: "voices move in Q1"
                    expires: 2000-01-01

                """).write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let expired = try await fixture.cli(["run", "--fail-on", "any", "--verbose"])
            #expect(expired.status == 1)
            #expect(expired.stdout.contains("[acceptance expired 2000-01-01]"))
            // A malformed entry is an error, never ignored.
            try (base + "accept:\n  - key: \"stale_pat:x\"\n").write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let malformed = try await fixture.cli(["run"])
            #expect(malformed.status == 2)
            #expect(malformed.stderr.contains("accept[0]") && malformed.stderr.contains("reason"))
        }
    }

    @Test("diff over three runs: defaults to the last two complete runs; --from/--to pick others")
    func diffOverThreeRuns() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            #expect(try await fixture.cli(["run"]).status == 0)
            fixture.simulator.update { scenario in
                scenario.voices.append(.init(voiceID: "7430000000000000010", name: "Second clone", accountID: "2105850000001", createTime: 1_732_000_000))
            }
            #expect(try await fixture.cli(["run"]).status == 0)
            fixture.simulator.update { scenario in
                scenario.voices.removeAll { $0.voiceID == "7430000000000000001" }
            }
            #expect(try await fixture.cli(["run"]).status == 0)
            let latest = try await fixture.cli(["diff"])
            #expect(latest.stdout.hasPrefix("diff run 2 → run 3"))
            #expect(latest.stdout.contains("- voice 7430000000000000001"))
            #expect(latest.stdout.contains("✓ resolved needs_personal_grant: voice 7430000000000000001"))
            let first = try await fixture.cli(["diff", "--from", "1", "--to", "2", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            #expect((object["resources_appeared"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["7430000000000000010"])
            #expect((object["findings_appeared"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["needs_personal_grant:voice:7430000000000000010"])
            #expect((object["findings_resolved"] as? [[String: Any]])?.isEmpty == true)
            let unknown = try await fixture.cli(["diff", "--from", "9"])
            #expect(unknown.status == 2)
        }
    }
}
