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
            let started = ContinuousClock.now
            let second = try await fixture.cli(["run"])
            #expect(second.status == 4)
            #expect(second.stderr == "coze-audit: another coze-audit run is using \(fixture.databasePath); try again when it has finished\n")
            #expect(second.stdout.isEmpty)
            // "At once": no waiting for the first run or for SQLite's busy timeout (5 s).
            #expect(ContinuousClock.now - started < .seconds(4))
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
            #expect(reason.contains("partial,\"could not list: enterprise-pat: GET /v1/workspaces (1x, last: HTTP 503"), "\(reason)")
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
            #expect(reason.contains("enterprise-pat: token rejected mid-run (code 4100"), "\(reason)")
        }
    }
}
