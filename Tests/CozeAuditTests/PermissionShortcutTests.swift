import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// Once a missing permission point is established endpoint-wide, the crawl stops sending that
/// endpoint's listings (`PermissionLedger`). The listings not sent are recorded like the denials
/// that established it, so the findings must be exactly those of a crawl that asks every parent.
@Suite("Permission point shortcut")
struct PermissionShortcutTests {
    /// A generated tenant where enterprise credentials lack permission points: enterprise-pat has no
    /// `listConversation`, enterprise-scoped has no `listBot` (and sees every workspace).
    static func permissionGapTenant() -> Scenario {
        var scenario = Scenario.generate(workspaces: 12, botsPerWorkspace: 4, conversationsPerBot: 3, voices: 4, seed: 14)
        if let index = scenario.credentials.firstIndex(where: { $0.name == "enterprise-pat" }) {
            scenario.credentials[index].deniedEndpoints = ["GET /v1/conversations", "GET /v1/audio/voices"]
            var noBots = scenario.credentials[index]
            noBots.name = "enterprise-no-bots"
            noBots.token = "pat_sim_enterprise_nobots_Tm8gYm90cyBoZXJl"
            noBots.deniedEndpoints = ["GET /v1/bots"]
            scenario.credentials.append(noBots)
        }
        return scenario
    }

    static func scenarios() throws -> [(String, Scenario, [String])] {
        let bigTeam = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CLITests/Expected/big-team.scenario.json").path
        let bundled = try Scenario.bundled()
        let gap = permissionGapTenant()
        return [
            ("migrated-account", bundled, bundled.credentials.map(\.name)),
            ("big-team", try Scenario.load(path: bigTeam), try Scenario.load(path: bigTeam).credentials.map(\.name)),
            ("generated permission-gap tenant", gap, gap.credentials.map(\.name)),
        ]
    }

    /// Every finding row of the run as text, and the requests each credential sent.
    static func audit(_ scenario: Scenario, credentials: [String], shortcut: Bool) async throws -> (findings: [[String?]], requests: [String: Int]) {
        try await RunFixture.with(scenario, credentials: credentials) { fixture in
            var runner = try fixture.runner()
            runner.tuning = CrawlTuning(skipEstablishedDenials: shortcut)
            let result = try await runner.run()
            #expect(result.status == .complete)
            let findings = try fixture.table("""
                SELECT key, kind, severity, resource_type, resource_id, credential, endpoint, code, reason, count, seen_by, details
                FROM finding WHERE run_id = ? ORDER BY key
                """, [result.runID])
            // Log ids differ from run to run (the simulator makes new ones); everything else must not.
            let masked = findings.map { row in
                row.map { $0?.replacing(/[0-9]{17}[0-9A-F]{15}/, with: "LOGID") }
            }
            var requests: [String: Int] = [:]
            for name in credentials { requests[name] = fixture.log(name).count }
            return (masked, requests)
        }
    }

    @Test("the findings are the same with and without the shortcut on every bundled scenario and a permission-gap tenant",
          arguments: try scenarios().map(\.0))
    func sameFindings(_ name: String) async throws {
        let (_, scenario, credentials) = try #require(try Self.scenarios().first { $0.0 == name })
        let asked = try await Self.audit(scenario, credentials: credentials, shortcut: false)
        let skipped = try await Self.audit(scenario, credentials: credentials, shortcut: true)
        #expect(!asked.findings.isEmpty)
        #expect(skipped.findings.count == asked.findings.count)
        for (left, right) in zip(skipped.findings, asked.findings) where left != right {
            Issue.record("with the shortcut: \(left.compactMap { $0 })\nwithout: \(right.compactMap { $0 })")
        }
        for credential in credentials { #expect(skipped.requests[credential]! <= asked.requests[credential]!, "\(credential)") }
    }

    @Test("a credential without listConversation sends the denied listing for two workspaces' bots, then no more; the rest are recorded as not asked")
    func stopsAfterTwoWorkspaces() async throws {
        let scenario = Self.permissionGapTenant()
        let credentials = ["personal-pat", "enterprise-pat", "enterprise-no-bots"]
        let asked = try await Self.audit(scenario, credentials: credentials, shortcut: false)
        try await RunFixture.with(scenario, credentials: credentials) { fixture in
            let result = try await fixture.run()
            let sent = fixture.log("enterprise-pat").filter { $0.path == "/v1/conversations" }
            let askedAll = asked.requests["enterprise-pat"] ?? 0
            // Established after the bots of two workspaces answered 4101: at most two workspaces' worth
            // of listings (4 bots × 2 connectors each) plus what was already in flight (concurrency 8).
            #expect(sent.count <= 2 * 4 * 2 + 8, "\(sent.count) conversation requests sent")
            #expect(sent.allSatisfy { $0.code == 4101 })
            #expect(fixture.log("enterprise-pat").count < askedAll, "\(fixture.log("enterprise-pat").count) vs \(askedAll) without the shortcut")
            let notAsked = try fixture.table("""
                SELECT count(*), min(l.status), min(l.code) FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND c.name = 'enterprise-pat' AND l.note LIKE 'not asked:%'
                """, [result.runID])
            #expect(notAsked.first?[1] == "denied" && notAsked.first?[2] == "4101")
            #expect(Int(notAsked.first?[0] ?? "0") ?? 0 > 0)
            // Every bot of every workspace it lists has its two conversation listings, asked or not.
            let total = try fixture.table("""
                SELECT count(*) FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND c.name = 'enterprise-pat' AND l.endpoint = 'GET /v1/conversations'
                """, [result.runID])
            let bots = try fixture.table("""
                SELECT count(*) FROM sighting s JOIN credential c ON c.id = s.credential_id
                WHERE s.run_id = ? AND c.name = 'enterprise-pat' AND s.kind = 'bot'
                """, [result.runID])
            #expect(Int(total.first?[0] ?? "") == 2 * (Int(bots.first?[0] ?? "") ?? -1))
            // The account-level voices listing is one request either way; the bots denial stops
            // enterprise-no-bots after its first two workspaces.
            #expect(fixture.log("enterprise-no-bots").filter { $0.path == "/v1/bots" }.count <= 2 + 8)
            // Not listed as notes in the report: they are denials, shown as such.
            let report = try ReportBuilder.build(store: try AuditStore(path: fixture.databasePath), runID: result.runID)
            #expect(report.listingNotes.isEmpty)
        }
    }
}
