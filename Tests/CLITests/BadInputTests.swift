import CozeSimulator
import Foundation
import Testing

/// Broken input gets one clear line and the documented exit code (docs/product.md §2), and never touches earlier runs.
@Suite("bad input", .serialized)
struct BadInputTests {
    /// The database's bytes as SQLite keeps them in WAL mode: the main file and the write-ahead log
    /// (where recent commits live until a checkpoint), so a write that never reached the main file counts.
    func fingerprintOfDatabase(_ fixture: AuditFixture) throws -> [Data] {
        try ["", "-wal"].map { suffix in
            let path = fixture.databasePath + suffix
            return FileManager.default.fileExists(atPath: path) ? try Data(contentsOf: URL(fileURLWithPath: path)) : Data()
        }
    }

    func expectOneLine(_ output: CLIRunner.Output, status: Int32, mentions: String) {
        #expect(output.status == status)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(output.stderr)")
        #expect(output.stderr.contains(mentions), "stderr: \(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
        #expect(!output.stderr.contains("Stack"))
    }

    @Test("a missing config file is one line and exit 2")
    func missingConfig() async throws {
        let output = try await CLIRunner.run(["run", "--config", "/nonexistent/coze-audit.yaml"])
        expectOneLine(output, status: 2, mentions: "/nonexistent/coze-audit.yaml")
    }

    @Test("an unset token variable is exit 2, names the variable, and leaves earlier runs byte for byte")
    func missingEnvironmentVariable() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            let first = try await fixture.cli(["run"])
            #expect(first.status == 0)
            let before = try fingerprintOfDatabase(fixture)
            var yaml = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "pat: { file: secrets/personal-pat.pat }", with: "pat: { env: COZE_TEST_UNSET_VARIABLE }")
            try yaml.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let output = try await fixture.cli(["run"], environment: ["COZE_TEST_UNSET_VARIABLE": ""])
            expectOneLine(output, status: 2, mentions: "COZE_TEST_UNSET_VARIABLE")
            #expect(try fingerprintOfDatabase(fixture) == before)
        }
    }

    @Test("an unknown key names the key and the line")
    func unknownKey() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            var yaml = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "concurrency: 8", with: "concurency: 8")
            try yaml.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let output = try await fixture.cli(["run"])
            expectOneLine(output, status: 2, mentions: "coze-audit.yaml:3: concurency: unknown key")
        }
    }

    @Test("an unreachable base URL ends the run failed (exit 3: nothing could be observed), advises nothing and keeps earlier runs")
    func unreachableServer() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let out1 = try await fixture.cli(["run"])

            #expect(out1.status == 0)
            let firstReport = try await fixture.cli(["report", "--run", "1", "--format", "json"]).stdout
            // Port 9 (discard) on loopback: nothing listens there.
            try fixture.writeConfig(baseURL: "http://127.0.0.1:9")
            let output = try await fixture.cli(["run"])
            #expect(output.status == 3)
            #expect(output.stdout.contains("failed: nothing could be observed at http://127.0.0.1:9"), "\(output.stdout)")
            #expect(output.stdout.contains("connection refused (2 credentials)"), "\(output.stdout)")
            // Only the configuration-derived finding: nothing the API did not answer is advised.
            #expect(output.stdout.contains("1 findings"))
            #expect(!output.stderr.contains("Fatal error"))
            let out2 = try await fixture.cli(["report", "--run", "1", "--format", "json"])

            #expect(out2.stdout == firstReport)
            let runs = try await fixture.cli(["runs"]).stdout
            #expect(runs.contains("1   complete"))
            #expect(runs.contains("2   failed"))
        }
    }

    @Test("query refuses writes and ATTACH with exit 2")
    func queryIsReadOnly() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            let out3 = try await fixture.cli(["run"])

            #expect(out3.status == 0)
            let count = ["query", "--sql", "SELECT count(*) AS n FROM run", "--format", "csv"]
            #expect(try await fixture.cli(count).stdout == "n\r\n1\r\n")
            let before = try fingerprintOfDatabase(fixture)
            let out5 = try await fixture.cli(["query", "--sql", "DELETE FROM run"])

            expectOneLine(out5, status: 2, mentions: "read-only")
            let out6 = try await fixture.cli(["query", "--sql", "ATTACH '/tmp/other.db' AS other"])

            expectOneLine(out6, status: 2, mentions: "ATTACH")
            // The run is still there, and not a byte of the database (main file or WAL) changed.
            #expect(try await fixture.cli(count).stdout == "n\r\n1\r\n")
            #expect(try fingerprintOfDatabase(fixture) == before)
        }
    }
}
