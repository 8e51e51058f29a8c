import CozeSimulator
import Foundation
import Testing

/// No token byte reaches the database, the reports or the logs; the fingerprints do (positive control).
@Suite("secrets", .serialized)
struct SecretsTests {
    @Test("tokens never appear in the database, reports or trace logs; fingerprints do")
    func noTokenAnywhere() async throws {
        let scenario = try Scenario.bundled()
        try await withFixture(scenario) { fixture in
            let env = ["COZE_AUDIT_LOG_LEVEL": "trace"]
            var outputs: [String] = []
            for arguments in [["run", "--verbose"], ["report", "--format", "json"], ["report", "--format", "html"],
                              ["report", "--format", "csv"], ["report", "--format", "junit"], ["report"], ["check"], ["runs"],
                              ["query", "--sql", "SELECT * FROM run_credential"], ["query", "--sql", "SELECT * FROM listing"]] {
                let output = try await fixture.cli(arguments, environment: env)
                outputs.append(output.stdout)
                outputs.append(output.stderr)
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory)
                .filter { $0.hasPrefix("coze-audit.sqlite") }
            #expect(files.contains("coze-audit.sqlite"))
            let database = try files.map { try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/" + $0)) }
            let text = outputs.joined(separator: "\n")
            for credential in scenario.credentials {
                let token = Data(credential.token.utf8)
                #expect(!text.contains(credential.token), "\(credential.name)'s token is in an output")
                #expect(!database.contains { $0.range(of: token) != nil }, "\(credential.name)'s token is in the database")
            }
            // Positive control: the same search finds each credential's fingerprint.
            let json = try await fixture.reportJSON()
            let fingerprints = (json["credentials"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String }
            #expect(fingerprints.count == scenario.credentials.count)
            for fingerprint in fingerprints {
                #expect(text.contains(fingerprint))
                #expect(database.contains { $0.range(of: Data(fingerprint.utf8)) != nil })
            }
        }
    }
}
