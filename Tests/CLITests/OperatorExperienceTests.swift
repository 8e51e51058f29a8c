import CozeSimulator
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a cron admin sees (issue 15): evidence said once, one stderr line per cause, runs that
/// stopped shown as such, and retention — all through the built binary.
@Suite("operator experience end to end", .serialized)
struct OperatorExperienceTests {
    static let credentials = ["personal-pat", "enterprise-pat"]

    /// No parenthesis inside another, and none left open or closed alone.
    static func flatParentheses(_ text: String) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 || depth > 1 { return false }
        }
        return depth == 0
    }

    @Test("the demo's text report says each piece of evidence once per finding kind, never on every row")
    func demoEvidenceOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coze-audit-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let demo = try await CLIRunner.run(["demo", "--dir", directory])
        #expect(demo.status == 0, "\(demo.stderr)")
        let lines = demo.stdout.split(separator: "\n").map(String.init)
        // The report of run 2 starts at its headline and ends before the diff.
        let start = try #require(lines.firstIndex { $0.hasPrefix("coze-audit run 2 ") })
        let end = lines[start...].firstIndex { $0.hasPrefix("diff run ") } ?? lines.endIndex
        let report = Array(lines[start..<end]).filter { !$0.isEmpty }
        #expect(Set(report).count == report.count, "a line printed twice: \(report)")

        // The token endpoint that refused (the demo's unauthorized JWT app) is evidence for three kinds.
        let refusal = "legacy-enterprise-app: POST /api/permission/oauth2/enterprise_id/volcano_2105850123/token answered access_deny"
        let evidence = report.filter { $0.contains(" not observed by: ") }
        #expect(evidence.count == 3, "\(evidence)")
        for kind in ["needs_personal_grant", "not_visible_to_enterprise", "stranded"] {
            let said = evidence.filter { $0.hasPrefix("    \(kind) not observed by: ") }
            #expect(said.count == 1, "\(kind): \(evidence)")
            #expect(said.first?.components(separatedBy: refusal).count == 2, "once, with the OAuth error: \(said)")
        }
        // The voice listing's 4101 holds for voices only, and says so.
        #expect(evidence.contains { $0.contains("enterprise-pat: GET /v1/audio/voices answered 4101 (voice)") }, "\(evidence)")
        // Rows keep what is their own.
        let rows = report.filter { $0.hasPrefix("NEW ") || $0.hasPrefix("    ") }.filter { !$0.contains(" not observed by: ") }
        #expect(rows.filter { $0.contains("needs_personal_grant:") }.count == 6)
        #expect(!rows.contains { $0.contains(refusal) || $0.contains("HTTP 403") }, "\(rows)")

        // The HTML report: the same evidence once above each kind's table, not in its "Seen by" cells.
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<p class=\"muted\">Not observed by: ").count - 1 == 3)
        #expect(html.components(separatedBy: refusal).count - 1 == 3, "once per kind")
        #expect(!html.contains("; not observed: "))
    }

    @Test("an unreachable base_url: at most three stderr lines, each naming host:port, the cause and how many it hit; a flat reason")
    func unreachableCauseLines() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            // Every credential type: PATs, JWT apps (token endpoint), the OAuth user (refresh endpoint).
            try await fixture.addAppCredentials()
            try fixture.writeConfig(baseURL: "http://127.0.0.1:9", apps: true)
            let output = try await fixture.cli(["run"])
            #expect(output.status == 3)
            let lines = output.stderr.split(separator: "\n").map(String.init)
            #expect((1...3).contains(lines.count), "\(output.stderr)")
            for line in lines {
                #expect(line.hasPrefix("coze-audit: connection refused at http://127.0.0.1:9: "), "\(line)")
                #expect(Self.flatParentheses(line), "\(line)")
            }
            #expect(lines.first?.contains(" listings of 9 credentials ") == true, "\(output.stderr)")
            // No timestamped log lines by default.
            #expect(!output.stderr.contains("warning") && !output.stderr.contains("listing failed"))
            let reason = try await fixture.cli(["query", "--sql", "SELECT reason FROM run", "--format", "csv"]).stdout
            #expect(reason.contains("nothing could be observed at http://127.0.0.1:9: connection refused (9 credentials); check base_url"), "\(reason)")
            #expect(Self.flatParentheses(reason), "\(reason)")
        }
    }

    @Test("log lines: none by default; log_level: warning in the config shows them; COZE_AUDIT_LOG_LEVEL wins over it")
    func logLevel() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            try fixture.writeConfig(baseURL: "http://127.0.0.1:9")
            let quiet = try await fixture.cli(["run"])
            #expect(quiet.status == 3)
            #expect(quiet.stderr.split(separator: "\n").count == 1, "\(quiet.stderr)")
            try fixture.appendYAML("log_level: warning\n")
            let logged = try await fixture.cli(["run"])
            #expect(logged.stderr.components(separatedBy: "listing failed").count - 1 == 2, "one warning per credential: \(logged.stderr)")
            let overridden = try await fixture.cli(["run"], environment: ["COZE_AUDIT_LOG_LEVEL": "error"])
            #expect(!overridden.stderr.contains("listing failed"), "\(overridden.stderr)")
            #expect(overridden.stderr.split(separator: "\n").count == 1)
            try fixture.appendYAML("log_level: loud\n")
            let bad = try await fixture.cli(["run"])
            #expect(bad.status == 2)
        }
    }

    @Test("SIGTERM or SIGINT during run: the crawl stops, the run is stored failed (terminated by signal), the lock is released, exit 3",
          arguments: [SIGTERM, SIGINT])
    func terminated(_ signal: Int32) async throws {
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            #expect(try await fixture.cli(["run"]).status == 0)
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/conversations", credential: "personal-pat", pageNum: 1,
                                                    kind: .hold, times: 1))
            let run = try CLIProcess(["run", "--config", fixture.configPath], in: fixture.directory)
            await fixture.simulator.waitForHeldRequests(count: 1)
            // While its process holds the lock, the run is shown running.
            let live = try await fixture.cli(["runs"]).stdout
            #expect(live.split(separator: "\n").contains { $0.hasPrefix("2 ") && $0.contains("running") }, "\(live)")

            run.kill(signal)
            let (output, killedBy) = await run.wait()
            _ = fixture.simulator.releaseHeld()
            #expect(killedBy == nil, "the process handled \(name) and exited")
            #expect(output.status == 3, "\(output.stderr)")
            let reason = "terminated by signal \(name) before the run finished"
            #expect(output.stderr == "coze-audit: run 2 \(reason); stored as failed\n")
            #expect(output.stdout.hasPrefix("coze-audit run 2 failed"), "\(output.stdout)")
            let stored = try await fixture.cli(["query", "--sql", "SELECT id, status, reason, finished_at IS NOT NULL AS finished FROM run ORDER BY id",
                                                "--format", "csv"]).stdout
            #expect(stored == "id,status,reason,finished\r\n1,complete,,1\r\n2,failed,\(reason),1\r\n")
            // Nothing advised from a crawl cut short.
            #expect(try await fixture.cli(["query", "--sql", "SELECT count(*) AS n FROM finding WHERE run_id = 2", "--format", "csv"]).stdout
                == "n\r\n0\r\n")
            let runs = try await fixture.cli(["runs"]).stdout
            #expect(runs.split(separator: "\n").contains { $0.hasPrefix("2 ") && $0.contains("failed") && $0.contains("terminated by signal") },
                    "\(runs)")
            // The lock was released: the next run starts at once and completes.
            let next = try await fixture.cli(["run"])
            #expect(next.status == 0, "\(next.stderr)")
        }
    }

    @Test("prune keeps every run's row, findings and credential history while the file shrinks; diff says what was pruned")
    func prune() async throws {
        let tenant = Scenario.generate(workspaces: 4, botsPerWorkspace: 5, conversationsPerBot: 60, voices: 10, seed: 3)
        try await withFixture(tenant) { fixture in
            for _ in 1...4 { #expect(try await fixture.cli(["run"]).status == 0) }
            func csv(_ sql: String) async throws -> String {
                try await fixture.cli(["query", "--sql", sql, "--format", "csv"]).stdout
            }
            let findingsSQL = "SELECT run_id, kind, count(*) AS n FROM finding GROUP BY run_id, kind ORDER BY run_id, kind"
            let historySQL = "SELECT run_id, credential_id, status, fingerprint, requests, failed_requests FROM run_credential ORDER BY 1, 2"
            let runSQL = "SELECT id, status, started_at, finished_at, reason FROM run ORDER BY id"
            let findings = try await csv(findingsSQL), history = try await csv(historySQL), runRows = try await csv(runSQL)
            let inventory = try await fixture.reportJSON(run: 1)["inventory"] as? [String: Int]
            let historyJSON = canonicalJSON(try await fixture.reportJSON(run: 4)["credential_history"] ?? [])
            let diffBefore = try await fixture.cli(["diff", "--from", "1", "--to", "4", "--format", "json"]).stdout
            #expect(try await csv("SELECT count(DISTINCT run_id) AS n FROM sighting") == "n\r\n4\r\n")
            let sizeBefore = Self.size(fixture.databasePath)
            let pagesBefore = try await Self.pages(fixture)
            #expect(pagesBefore > 0)

            let prune = try await fixture.cli(["prune", "--keep-runs", "1"])
            #expect(prune.status == 0, "\(prune.stderr)")
            #expect(prune.stdout.hasPrefix("pruned the detail of 3 runs (1–3): "), "\(prune.stdout)")
            let sizeAfter = Self.size(fixture.databasePath)
            #expect(sizeAfter < sizeBefore * 2 / 3, "\(sizeBefore) → \(sizeAfter) bytes")
            // The pages themselves went back to the file system, not only the WAL: none left free.
            let pagesAfter = try await Self.pages(fixture)
            #expect(pagesAfter < pagesBefore * 2 / 3, "\(pagesBefore) → \(pagesAfter) pages")
            #expect(try await csv("PRAGMA freelist_count") == "freelist_count\r\n0\r\n")

            // Kept: every run row, every finding, the credential history; only run 4 keeps its sightings.
            #expect(try await csv(findingsSQL) == findings)
            #expect(try await csv(historySQL) == history)
            #expect(try await csv(runSQL) == runRows)
            #expect(canonicalJSON(try await fixture.reportJSON(run: 4)["credential_history"] ?? []) == historyJSON)
            #expect(try await csv("SELECT DISTINCT run_id FROM sighting UNION SELECT DISTINCT run_id FROM listing") == "run_id\r\n4\r\n")
            #expect(try await csv("SELECT count(*) AS n FROM request_failure WHERE run_id < 4") == "n\r\n0\r\n")
            // A pruned run's report keeps its counts and says it was pruned.
            let pruned = try await fixture.reportJSON(run: 1)
            #expect(pruned["inventory"] as? [String: Int] == inventory)
            #expect((pruned["run"] as? [String: Any])?["detail_pruned_at"] is String)
            let runs = try await fixture.cli(["runs"]).stdout
            #expect(runs.split(separator: "\n").filter { $0.contains("pruned ") }.count == 3, "\(runs)")
            // diff: findings still compared, resources not claimed to have disappeared.
            let diff = try await fixture.cli(["diff", "--from", "1", "--to", "4", "--format", "json"]).stdout
            let before = try JSONSerialization.jsonObject(with: Data(diffBefore.utf8)) as? [String: Any] ?? [:]
            let after = try JSONSerialization.jsonObject(with: Data(diff.utf8)) as? [String: Any] ?? [:]
            #expect(canonicalJSON(after["findings_appeared"] ?? []) == canonicalJSON(before["findings_appeared"] ?? []))
            #expect(canonicalJSON(after["findings_resolved"] ?? []) == canonicalJSON(before["findings_resolved"] ?? []))
            #expect((after["resources_disappeared"] as? [Any])?.isEmpty == true)
            #expect((after["resources_not_compared"] as? String)?.contains("run 1") == true, "\(diff)")
            let text = try await fixture.cli(["diff", "--from", "1", "--to", "4"]).stdout
            #expect(text.contains("resources not compared"), "\(text)")
            // The HTML trend still has every run.
            let html = try await fixture.cli(["report", "--format", "html"]).stdout
            for id in 1...4 { #expect(html.contains("text-anchor=\"middle\">#\(id)</text>")) }

            // retention: in the config is applied after each run.
            try fixture.appendYAML("retention: { keep_runs: 2 }\n")
            #expect(try await fixture.cli(["run"]).status == 0)
            #expect(try await csv("SELECT id FROM run WHERE pruned_at IS NULL ORDER BY id") == "id\r\n4\r\n5\r\n")
            #expect(try await csv("SELECT DISTINCT run_id FROM sighting ORDER BY 1") == "run_id\r\n4\r\n5\r\n")
        }
    }

    /// The pages of the database (WAL included), as SQLite counts them.
    static func pages(_ fixture: AuditFixture) async throws -> Int {
        let output = try await fixture.cli(["query", "--sql", "PRAGMA page_count", "--format", "csv"]).stdout
        return Int(output.split(separator: "\r\n").last ?? "") ?? -1
    }

    /// The database file and its WAL.
    static func size(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
}
