@testable import CozeAudit
import Foundation
import Testing

/// A run with more findings of a kind than the summary and the HTML report show: they load only
/// the first rows of each kind (new first), and every count still covers all of them.
@Suite("Large reports")
struct LargeReportTests {
    /// Run 1: 250 needs_personal_grant findings on conversations (240 new, 10 old, 5 of the new
    /// ones accepted), 3 on voices, one stale_pat; the grant's conversations live under one bot.
    static func seeded() throws -> SeededStore {
        var sql = """
            INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok');
            INSERT INTO finding (run_id, key, kind, severity, resource_type, resource_id, credential, reason, seen_by, is_new, first_run_id, accepted_reason) VALUES
              (1, 'stale_pat:old', 'stale_pat', 'low', NULL, NULL, 'old', 'invalid', '[]', 1, 1, NULL)
            """
        for index in 0..<253 {
            let type = index < 250 ? "conversation" : "voice"
            let id = String(format: "c%04d", index)
            sql += ",\n  (1, 'needs_personal_grant:\(type):\(id)', 'needs_personal_grant', 'high', '\(type)', '\(id)', NULL, NULL, '[\"personal-pat\"]', \(index < 10 ? 0 : 1), 1, \(index >= 10 && index < 15 ? "'later'" : "NULL"))"
        }
        return try SeededStore(sql + ";")
    }

    @Test("The builder loads at most N findings of a kind, new first; tallies count them all")
    func limitedLoad() throws {
        let db = try Self.seeded()
        let report = try ReportBuilder.build(store: db.store, runID: 1, findingsPerKind: 200)
        let grants = report.findings.filter { $0.kind == "needs_personal_grant" }
        #expect(grants.count == 200)
        #expect(grants.allSatisfy { $0.new })
        #expect(report.findings.filter { $0.kind == "stale_pat" }.count == 1)
        #expect(report.tally(of: "needs_personal_grant") == FindingTally(kind: "needs_personal_grant", total: 253, new: 243, open: 248, newOpen: 238, severity: .high))
        #expect(report.tally(of: "needs_personal_grant", resourceType: "voice").total == 3)
        #expect(report.tallyOfAll.total == 254)
        let full = try ReportBuilder.build(store: db.store, runID: 1)
        #expect(full.findings.count == 254)
        #expect(full.tallies == report.tallies)
        // Unlimited, the counts from SQL and from the rows agree.
        var counted = full
        counted.tallies = []
        #expect(counted.tally(of: "needs_personal_grant") == full.tally(of: "needs_personal_grant"))
    }

    @Test("The run summary lists 200 new findings of a kind and says how many more; --fail-on counts every finding")
    func summary() throws {
        let db = try Self.seeded()
        let summary = try ReportRendering.rendered(.text, store: db.store, runID: 1, listing: .newFindingsCapped)
        let lines = summary.output.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix("254 findings (244 new)"))
        #expect(lines.contains { $0.contains("needs_personal_grant") && $0.contains(" 253 (243 new)") })
        #expect(lines.filter { $0.hasPrefix("NEW needs_personal_grant:") }.count == 200)
        #expect(lines.contains("    … 43 more new needs_personal_grant findings: coze-audit report --format csv"))
        #expect(summary.tally.newOpen == 239)
        let verbose = try ReportRendering.render(.text, store: db.store, runID: 1)
        #expect(verbose.split(separator: "\n").filter { $0.contains("needs_personal_grant: ") }.count == 253)
        #expect(!verbose.contains("more new"))
    }

    @Test("The HTML report of a large run counts every finding and folds the rest")
    func html() throws {
        let db = try Self.seeded()
        let report = try ReportBuilder.build(store: db.store, runID: 1, findingsPerKind: HTMLRenderer.rowsPerGroup)
        let html = try HTMLRenderer.render(report)
        #expect(html.contains("… and 53 more"))
        // Exactly one group's worth of rows in the needs_personal_grant table, not "at most" (0 would pass that).
        let group = try #require(html.range(of: "<details open=\"open\" id=\"needs_personal_grant\">"))
        let end = try #require(html.range(of: "</details>", range: group.upperBound..<html.endIndex))
        let rows = html[group.upperBound..<end.lowerBound].components(separatedBy: "<tr><td>").count - 1
        #expect(rows == HTMLRenderer.rowsPerGroup)
        let plan = RemediationPlan.steps(for: report).map { $0.text }.joined(separator: "\n")
        #expect(plan.contains("250 conversations and 3 voices are reachable only with personal credentials"))
    }
}
