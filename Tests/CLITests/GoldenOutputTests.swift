import CozeAudit
import CozeSimulator
import Foundation
import Testing

/// The output of every command on the bundled scenario, compared with `Golden/*.txt`: the net
/// under any refactoring. Two runs around a workspace migration (so `diff`, `stranded` and the
/// trends have something to show), then every report format, `runs`, `diff`, `fallback`,
/// `query`, `check` and the stderr of the bad-input cases.
///
/// What varies between two runs of the same scenario is masked, nothing else: times, the
/// simulator's port, the temporary folder, the tool version, durations, and the secrets of the
/// OAuth logins (a fresh token each time). After an intended change, rewrite the files and review
/// their diff before committing:
///
///     COZE_AUDIT_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests
///
/// Hand-rolled rather than swift-snapshot-testing: that package pulls swift-syntax into every
/// fresh build (minutes on CI's 2 cores) for what is a file compare and a rewrite switch.
@Suite("golden output of every command", .serialized)
struct GoldenOutputTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["COZE_AUDIT_UPDATE_GOLDEN"] == "1"

    /// One command and what it printed, as stored in a golden file.
    struct Case {
        var name: String
        var arguments: [String]
        var output: CLIRunner.Output

        func text(masking mask: (String) -> String) -> String {
            "$ coze-audit \(arguments.joined(separator: " "))\nexit: \(output.status)\n--- stdout\n\(mask(output.stdout))--- stderr\n\(mask(output.stderr))"
        }
    }

    @Test("every command's stdout, stderr and exit status match Golden/ (COZE_AUDIT_UPDATE_GOLDEN=1 rewrites them)")
    func everyCommand() async throws {
        let (scenario, _, enterprise) = try MigrationChecksTests.beforeMigration()
        try await withFixture(scenario) { fixture in
            try await fixture.addAppCredentials()
            var cases: [Case] = []
            func record(_ name: String, _ arguments: [String], config: Bool = true) async throws {
                let output = config ? try await fixture.cli(arguments)
                    : try await CLIRunner.run(arguments, in: fixture.directory)
                cases.append(Case(name: name, arguments: arguments, output: output))
            }
            try await record("01-run-1", ["run"])
            MigrationChecksTests.migrate(fixture, to: enterprise)
            try await record("02-run-2", ["run"])
            for format in ["text", "json", "csv", "junit", "html"] {
                try await record("03-report-\(format)", ["report", "--format", format])
            }
            try await record("04-report-run-1-text", ["report", "--run", "1"])
            try await record("05-runs", ["runs"])
            try await record("06-diff-text", ["diff"])
            try await record("06-diff-json", ["diff", "--format", "json"])
            try await record("07-fallback-text", ["fallback"])
            try await record("07-fallback-json", ["fallback", "--format", "json"])
            try await record("08-query-list", ["query", "--list"])
            try await record("08-query-named", ["query", "stale_pat"])
            try await record("08-query-sql", ["query", "--sql", "SELECT kind, count(*) AS n FROM finding WHERE run_id = 2 GROUP BY kind ORDER BY kind"])
            try await record("09-check", ["check"])
            // Bad input: one line on stderr and the documented exit code.
            try await record("10-bad-missing-config", ["run", "--config", "/nonexistent/coze-audit.yaml"], config: false)
            try await record("10-bad-unknown-run", ["report", "--run", "99"])
            try await record("10-bad-query-writes", ["query", "--sql", "DELETE FROM run"])
            try await record("10-bad-unknown-query", ["query", "no_such_query"])
            try await record("06-diff-same-run", ["diff", "--from", "2", "--to", "2"])
            try await record("10-bad-unknown-format", ["report", "--format", "pdf"])
            try "log_level: [not, a, level\n".write(toFile: fixture.directory + "/broken.yaml", atomically: true, encoding: .utf8)
            try await record("10-bad-malformed-yaml", ["run", "--config", "broken.yaml"], config: false)

            let report = try #require(cases.first { $0.name == "03-report-json" }?.output.stdout)
            let mask = try Self.masker(fixture, reportJSON: report)
            var mismatches: [String] = []
            for item in cases {
                let text = item.text(masking: mask)
                let url = Self.directory.appendingPathComponent(item.name + ".txt")
                if Self.updating {
                    try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url)
                }
                guard let golden = FileManager.default.contents(atPath: url.path) else {
                    mismatches.append("\(item.name): no golden file (run with COZE_AUDIT_UPDATE_GOLDEN=1)")
                    continue
                }
                let expected = String(decoding: golden, as: UTF8.self)
                if text != expected { mismatches.append("\(item.name): \(Self.firstDifference(text, expected))") }
            }
            let names = Set(cases.map { $0.name + ".txt" })
            let stray = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { !names.contains($0) }
            #expect(stray.isEmpty, "golden files no case writes: \(stray)")
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n")); after an intended change run COZE_AUDIT_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests and review the diff")
        }
    }

    /// Replaces what differs between two runs of the same scenario by a placeholder.
    /// An OAuth credential's fingerprint covers its token file's path, which lies in the temporary
    /// folder: those are masked by value (read from the report), every other fingerprint is kept.
    static func masker(_ fixture: AuditFixture, reportJSON: String) throws -> (String) -> String {
        let report = try JSONSerialization.jsonObject(with: Data(reportJSON.utf8)) as? [String: Any]
        let credentials = report?["credentials"] as? [[String: Any]] ?? []
        let oauth = credentials.filter { $0["auth"] as? String == "oauth" }.compactMap { credential -> (String, String)? in
            guard let fingerprint = credential["fingerprint"] as? String, let name = credential["name"] as? String else { return nil }
            return (fingerprint, "<fingerprint of \(name)>")
        }
        let rules: [(Regex<Substring>, String)] = [
            (try Regex(#"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"#), "<time>"),
            (try Regex(#"127\.0\.0\.1:\d+"#), "127.0.0.1:<port>"),
            (try Regex(#"logid [0-9A-Za-z]+"#), "logid <logid>"),
            (try Regex(#"expires in \d+ min"#), "expires in <minutes> min"),
            (try Regex(#"\b\d+(?:\.\d+)? ?(?:ms|s)\b"#), "<duration>"),
        ]
        let version = CozeAuditVersion.tag
        let directory = fixture.directory
        return { text in
            var out = text.replacingOccurrences(of: directory, with: "<dir>")
                .replacingOccurrences(of: version, with: "<version>")
            for (fingerprint, replacement) in oauth { out = out.replacingOccurrences(of: fingerprint, with: replacement) }
            for (regex, replacement) in rules { out = out.replacing(regex, with: replacement) }
            return out
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "line \(index + 1): got \"\(l.prefix(300))\", golden \"\(r.prefix(300))\"" }
        }
        return "same lines, different bytes"
    }
}
