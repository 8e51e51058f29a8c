import CozeSimulator
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` in the middle of a crawl (issue: crash safety). The simulator holds one page open; the
/// test kills the `coze-audit run` process once the held-request list shows that page, so the
/// moment of the kill is chosen by the request, not by a timer.
@Suite("crash safety end to end", .serialized)
struct CrashTests {
    static let credentials = ["personal-pat", "enterprise-pat"]

    /// `query --sql` as CSV, through the binary (read-only).
    static func csv(_ fixture: AuditFixture, _ sql: String) async throws -> String {
        let output = try await fixture.cli(["query", "--sql", sql, "--format", "csv"])
        #expect(output.status == 0, "query failed: \(output.stderr)")
        return output.stdout
    }

    /// Every row stored for run 1.
    static let runOneSQL = """
        SELECT 'run', id, status, started_at, finished_at, reason, '' FROM run WHERE id = 1
        UNION ALL SELECT 'sighting', credential_id, kind, resource_id, parent_id, payload, '' FROM sighting WHERE run_id = 1
        UNION ALL SELECT 'listing', credential_id, endpoint, params, status, code, items FROM listing WHERE run_id = 1
        UNION ALL SELECT 'finding', key, kind, reason, seen_by, details, is_new FROM finding WHERE run_id = 1
        UNION ALL SELECT 'credential', credential_id, status, fingerprint, requests, failed_requests, '' FROM run_credential WHERE run_id = 1
        ORDER BY 1, 2, 3, 4
        """

    @Test("kill -9 while a page is in flight: integrity_check passes, earlier runs are unchanged, the killed run is shown as failed and the next run completes")
    func killMidCrawl() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            let first = try await fixture.cli(["run"])
            #expect(first.status == 0, "stderr: \(first.stderr)")
            let reportBefore = try await fixture.cli(["report", "--run", "1", "--format", "json"]).stdout
            let rowsBefore = try await Self.csv(fixture, Self.runOneSQL)
            #expect(rowsBefore.contains("sighting,"))

            // Page 1 of the personal credential's first conversation listing is held open.
            fixture.simulator.clearRequestLog()
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/conversations", credential: "personal-pat", pageNum: 1,
                                                    kind: .hold, times: 1))
            let run = try CLIProcess(["run", "--config", fixture.configPath], in: fixture.directory)
            await fixture.simulator.waitForHeldRequests(count: 1)
            let held = fixture.simulator.heldRequests()
            #expect(held.map { "\($0.endpoint) [\($0.credential ?? "-")] page \($0.query["page_num"] ?? "-")" }
                == ["GET /v1/conversations [personal-pat] page 1"])
            // The killed run got as far as the bots: its earlier pages are committed.
            #expect(fixture.simulator.requestLog().contains { $0.path == "/v1/bots" && $0.credential == "personal-pat" })
            run.kill(SIGKILL)
            let (killed, signal) = await run.wait()
            #expect(signal == SIGKILL, "exit \(killed.status): \(killed.stderr)")
            fixture.simulator.releaseHeld()

            // Nothing is corrupt and run 1 is exactly as it was.
            #expect(try await Self.csv(fixture, "PRAGMA integrity_check") == "integrity_check\r\nok\r\n")
            #expect(try await Self.csv(fixture, Self.runOneSQL) == rowsBefore)
            #expect(try await fixture.cli(["report", "--run", "1", "--format", "json"]).stdout == reportBefore)
            // Stored as it was left (reading writes nothing) …
            #expect(try await Self.csv(fixture, "SELECT id, status FROM run ORDER BY id") == "id,status\r\n1,complete\r\n2,running\r\n")
            #expect(try await Self.csv(fixture, "SELECT count(*) > 0 AS written FROM sighting WHERE run_id = 2") == "written\r\n1\r\n")
            // … but shown failed (interrupted) at once: no process holds the lock any more.
            let runsAfterKill = try await fixture.cli(["runs"])
            #expect(runsAfterKill.status == 0, "\(runsAfterKill.stderr)")
            let killedRow = runsAfterKill.stdout.split(separator: "\n").first { $0.hasPrefix("2 ") }.map(String.init) ?? ""
            #expect(killedRow.contains("failed") && killedRow.contains("interrupted") && killedRow.contains("—"), "\(runsAfterKill.stdout)")
            #expect(!runsAfterKill.stdout.contains("running") && !runsAfterKill.stdout.contains("NULL"), "\(runsAfterKill.stdout)")
            let killedReport = try await fixture.reportJSON(run: 2)["run"] as? [String: Any]
            #expect(killedReport?["status"] as? String == "failed")
            #expect((killedReport?["reason"] as? String)?.hasPrefix("interrupted") == true, "\(killedReport ?? [:])")
            let diff = try await fixture.cli(["diff", "--from", "1", "--to", "2"])
            #expect(diff.stdout.contains("note: run 2 is failed: interrupted"), "\(diff.stdout)")
            let html = try await fixture.cli(["report", "--run", "2", "--format", "html"]).stdout
            #expect(html.contains("<span class=\"status failed\">failed</span>") && html.contains("text-anchor=\"middle\">#2</text>"), "the run and its place in the history")

            // The next start marks the killed run failed, and completes.
            let next = try await fixture.cli(["run"])
            #expect(next.status == 0, "stderr: \(next.stderr)")
            #expect(try await Self.csv(fixture, "SELECT id, status, reason FROM run ORDER BY id") == """
                id,status,reason\r
                1,complete,\r
                2,failed,interrupted: the process stopped before the run finished (killed or crashed)\r
                3,complete,\r

                """)
            let runs = try await fixture.cli(["runs"]).stdout
            #expect(runs.contains("2   failed"), "\(runs)")
            #expect(try await Self.csv(fixture, "PRAGMA integrity_check") == "integrity_check\r\nok\r\n")
            #expect(try await Self.csv(fixture, Self.runOneSQL) == rowsBefore)
        }
    }
}
