import CozeSimulator
import Foundation
import Testing

/// `run --metrics-file` from cron (issue 17): written for complete, partial and failed runs; a
/// configuration error writes none (the staleness alert catches it).
@Suite("metrics file", .serialized)
struct MetricsFileTests {
    @Test("a complete run, then a failed one: each writes the file; the failed one says 0 and keeps the last complete run's time")
    func completeThenFailed() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let path = fixture.directory + "/textfile/coze_audit.prom"
            try FileManager.default.createDirectory(atPath: fixture.directory + "/textfile", withIntermediateDirectories: true)
            let first = try await fixture.cli(["run", "--metrics-file", path])
            #expect(first.status == 0, "\(first.stderr)")
            let complete = try String(contentsOfFile: path, encoding: .utf8)
            #expect(complete.contains("\ncoze_audit_run_complete 1\n"))
            let finished = try #require(complete.split(separator: "\n").first { $0.hasPrefix("coze_audit_run_timestamp_seconds ") })
            #expect(try await fixture.cli(["report", "--format", "prometheus"]).stdout == complete, "report --format prometheus prints the same")

            fixture.simulator.update { $0.quirks = [.rejectAllTokens] }
            let second = try await fixture.cli(["run", "--metrics-file", path])
            #expect(second.status == 3)
            let failed = try String(contentsOfFile: path, encoding: .utf8)
            #expect(failed.contains("\ncoze_audit_run_complete 0\n"))
            #expect(failed.contains("coze_audit_last_complete_run_timestamp_seconds " + finished.split(separator: " ")[1]))
            #expect(failed.contains(#"coze_audit_credential_valid{credential="personal-pat",side="personal"} 0"#))
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/textfile") == ["coze_audit.prom"])
        }
    }

    @Test("a configuration error writes no metrics file")
    func configErrorWritesNothing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coze-metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "base_url: not a url\n".write(toFile: folder + "/coze-audit.yaml", atomically: true, encoding: .utf8)
        let run = try await CLIRunner.run(["run", "--config", folder + "/coze-audit.yaml", "--metrics-file", folder + "/m.prom"], in: folder)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/m.prom"))
    }
}
