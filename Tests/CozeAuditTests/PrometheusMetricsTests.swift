@testable import CozeAudit
import CozeTestSupport
import Foundation
import Testing

/// `report --format prometheus` / `run --metrics-file` (issue 17): values from the stored run,
/// label values escaped, a zero series for every kind of `coze_audit_findings_new`.
@Suite("Prometheus metrics")
struct PrometheusMetricsTests {
    static func store() throws -> SeededStore {
        try SeededStore("""
            INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
              (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
              (2, '2025-03-02T08:00:00Z', '2025-03-02T08:00:42Z', 'partial', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'odd "name" \\ with
            newline', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, requests, failed_requests) VALUES
              (2, 1, 'personal', 'pat', 'sha256:111111111111', 'ok', 40, 2),
              (2, 2, 'enterprise', 'pat', 'sha256:222222222222', 'invalid', 1, 1);
            INSERT INTO finding (run_id, key, kind, severity, resource_type, resource_id, credential, reason, seen_by, is_new, first_run_id, accepted_reason) VALUES
              (2, 'stale_pat:a', 'stale_pat', 'low', NULL, NULL, 'a', 'invalid', '[]', 1, 2, NULL),
              (2, 'stale_pat:b', 'stale_pat', 'medium', NULL, NULL, 'b', 'superseded', '[]', 0, 1, NULL),
              (2, 'needs_personal_grant:voice:v1', 'needs_personal_grant', 'high', 'voice', 'v1', NULL, NULL, '["personal-pat"]', 1, 2, NULL),
              (2, 'needs_personal_grant:voice:v2', 'needs_personal_grant', 'high', 'voice', 'v2', NULL, NULL, '["personal-pat"]', 1, 2, 'known');
            """)
    }

    @Test("the values of a partial run: findings by kind and severity, new per kind (zeros included), requests and success ratio, the last complete run, escaped labels")
    func values() throws {
        let seeded = try Self.store()
        let text = try ReportRendering.render(.prometheus, store: seeded.store, runID: 2)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "coze_audit_run_complete 0",
            "coze_audit_run_timestamp_seconds 1740902442",
            "coze_audit_run_duration_seconds 42",
            "coze_audit_last_complete_run_timestamp_seconds 1740816300",
            #"coze_audit_findings{kind="stale_pat",severity="low"} 1"#,
            #"coze_audit_findings{kind="stale_pat",severity="medium"} 1"#,
            #"coze_audit_findings{kind="needs_personal_grant",severity="high"} 1"#,
            #"coze_audit_findings_new{kind="needs_personal_grant"} 1"#,
            #"coze_audit_findings_new{kind="stale_pat"} 1"#,
            #"coze_audit_findings_new{kind="stranded"} 0"#,
            #"coze_audit_findings_accepted{kind="needs_personal_grant"} 1"#,
            #"coze_audit_credential_valid{credential="personal-pat",side="personal"} 1"#,
            #"coze_audit_credential_request_success_ratio{credential="personal-pat"} 0.95"#,
            #"coze_audit_requests_total{credential="personal-pat",outcome="success"} 38"#,
            #"coze_audit_requests_total{credential="personal-pat",outcome="failure"} 2"#,
            #"coze_audit_credential_valid{credential="odd \"name\" \\ with\nnewline",side="enterprise"} 0"#,
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\n\(text)")
        }
        #expect(FindingKind.allCases.allSatisfy { kind in lines.contains { $0.hasPrefix("coze_audit_findings_new{kind=\"\(kind.rawValue)\"}") } })
        // HELP and TYPE once per family, before its samples.
        for family in ["coze_audit_findings", "coze_audit_requests_total", "coze_audit_resources"] {
            #expect(text.components(separatedBy: "# TYPE \(family) ").count == 2)
            #expect(text.components(separatedBy: "# HELP \(family) ").count == 2)
        }
        #expect(!text.contains("\nnewline"), "a raw newline in a label value would end the line")
    }

    @Test("the metrics file is replaced atomically: no temporary file left, the previous content never half-overwritten")
    func atomicWrite() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("coze_audit.prom")
        try MetricsFile.write("a 1\n", to: path)
        try MetricsFile.write("b 2\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "b 2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["coze_audit.prom"])
        #expect(throws: MetricsFileError.self) { try MetricsFile.write("c 3\n", to: folder.file("missing/dir/x.prom")) }
    }
}
