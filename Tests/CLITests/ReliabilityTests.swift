import CozeSimulator
import Foundation
import Testing

/// Run-level reliability through the built binary: one writer at a time, and the retry and
/// deadline keys of the config.
@Suite("reliability end to end", .serialized)
struct ReliabilityTests {
    static let credentials = ["personal-pat", "enterprise-pat"]

    func appendToConfig(_ fixture: AuditFixture, _ yaml: String) throws {
        let config = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        try (config + yaml).write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
    }

    @Test("a second run while one is running exits 4 at once with one clear line and writes nothing; the first completes")
    func secondRunLocked() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "personal-pat", kind: .hold, times: 1))
            let first = try CLIProcess(["run", "--config", fixture.configPath], in: fixture.directory)
            await fixture.simulator.waitForHeldRequests(count: 1)
            let second = try await fixture.cli(["run"])
            #expect(second.status == 4)
            #expect(second.stderr == "coze-audit: another coze-audit run is using \(fixture.databasePath); try again when it has finished\n")
            #expect(second.stdout.isEmpty)
            // "At once": the second run gave up while the first one was still parked at the server
            // (it did not wait for the first run to finish), and it sent nothing.
            #expect(fixture.simulator.heldRequests().count == 1)
            fixture.simulator.releaseHeld()
            let (output, signal) = await first.wait()
            #expect(signal == nil)
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let runs = try await fixture.cli(["query", "--sql", "SELECT id, status FROM run", "--format", "csv"]).stdout
            #expect(runs == "id,status\r\n1,complete\r\n")
        }
    }

    @Test("retries and request_timeout_seconds from the config: a listing failing past them ends partial (exit 3), every attempt stored")
    func configuredRetries() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            try appendToConfig(fixture, "retries: { attempts: 2, base_delay_ms: 0 }\nrequest_timeout_seconds: 5\n")
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "enterprise-pat", kind: .httpStatus, status: 503))
            let output = try await fixture.cli(["run"])
            #expect(output.status == 3, "stderr: \(output.stderr)")
            #expect(output.stdout.contains("partial"), "\(output.stdout)")
            let attempts = fixture.simulator.requestLog().filter { $0.path == "/v1/workspaces" && $0.credential == "enterprise-pat" }
            #expect(attempts.map { $0.httpStatus } == [503, 503])
            let stored = try await fixture.cli(["query", "--sql", """
                SELECT f.http_status, f.logid FROM request_failure f JOIN credential c ON c.id = f.credential_id
                WHERE c.name = 'enterprise-pat' AND f.endpoint = 'GET /v1/workspaces' ORDER BY f.id
                """, "--format", "csv"]).stdout
            #expect(stored == "http_status,logid\r\n" + attempts.map { "503,\($0.logID)\r\n" }.joined())
            let reason = try await fixture.cli(["query", "--sql", "SELECT status, reason FROM run", "--format", "csv"]).stdout
            let cause = "HTTP 503 without a Coze envelope at \(fixture.baseURL): 1 listing of 1 credential (enterprise-pat on GET /v1/workspaces)"
            #expect(reason == "status,reason\r\npartial,could not list: \(cause)\r\n", "\(reason)")
            // stderr: that one cause, once; no log line per attempt.
            #expect(output.stderr == "coze-audit: \(cause)\n", "\(output.stderr)")
        }
    }

    @Test("request_timeout_seconds from the config: an answer slower than it is a timeout, retried, then the run is partial")
    func configuredRequestTimeout() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            // The server answers after 20 s; the configured deadline is 1 s (the default, 30 s, would
            // wait for that answer and the run would be complete: the key decides).
            try appendToConfig(fixture, "retries: { attempts: 2, base_delay_ms: 0 }\nrequest_timeout_seconds: 1\n")
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "enterprise-pat", kind: .slow,
                                                    delayMS: 20_000))
            let output = try await fixture.cli(["run"])
            #expect(output.status == 3, "stderr: \(output.stderr)")
            let attempts = fixture.simulator.requestLog().filter { $0.path == "/v1/workspaces" && $0.credential == "enterprise-pat" }
            #expect(attempts.count <= 2, "the slow answers may or may not have been logged yet")
            let reason = try await fixture.cli(["query", "--sql", "SELECT status, reason FROM run", "--format", "csv"]).stdout
            // (Other answers slower than the 1 s deadline on a loaded machine would join this cause.)
            #expect(reason.hasPrefix("status,reason\r\npartial,"), "\(reason)")
            #expect(reason.contains("could not list: timed out at \(fixture.baseURL): "), "\(reason)")
            #expect(reason.contains("enterprise-pat") && reason.contains("GET /v1/workspaces"), "\(reason)")
            let failures = try await fixture.cli(["query", "--sql", """
                SELECT count(*) AS n FROM request_failure f JOIN credential c ON c.id = f.credential_id
                WHERE c.name = 'enterprise-pat' AND f.endpoint = 'GET /v1/workspaces' AND f.message LIKE 'request timed out%'
                """, "--format", "csv"]).stdout
            #expect(failures == "n\r\n2\r\n", "both attempts timed out and were stored")
        }
    }

    @Test("a token rejected mid-run ends the run partial (exit 3) and names the credential")
    func tokenRejectedMidRun() async throws {
        try await withFixture(try Scenario.bundled(), credentials: Self.credentials) { fixture in
            fixture.simulator.inject(Scenario.Fault(endpoint: "*", credential: "enterprise-pat", kind: .tokenExpiresAfter, after: 2))
            let output = try await fixture.cli(["run"])
            #expect(output.status == 3, "stderr: \(output.stderr)")
            let log = fixture.simulator.requestLog().filter { $0.credential == "enterprise-pat" }
            #expect(log.filter { $0.code == 4100 }.count >= 1)
            let reason = try await fixture.cli(["query", "--sql", "SELECT reason FROM run", "--format", "csv"]).stdout
            #expect(reason.contains("could not list: token rejected mid-run, code 4100 at \(fixture.baseURL): "), "\(reason)")
            #expect(reason.contains(" of 1 credential (enterprise-pat on "), "\(reason)")
            // stderr: that cause once, naming the credential.
            #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
            #expect(output.stderr.hasPrefix("coze-audit: token rejected mid-run, code 4100 at \(fixture.baseURL): "), "\(output.stderr)")
        }
    }
}
