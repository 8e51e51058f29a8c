import CozeAudit
import CozeSimulator
import Foundation
import Testing

/// `coze-audit --version` answers without a config, and the reports name the same version.
@Suite("version")
struct VersionTests {
    @Test("--version prints the semantic version and the commit or 'development build', exit 0, nothing on stderr")
    func version() async throws {
        let output = try await CLIRunner.run(["--version"], in: FileManager.default.temporaryDirectory.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty)
        #expect(output.stdout == CozeAuditVersion.description + "\n")
        let pattern = /coze-audit \d+\.\d+\.\d+ \((development build|commit [0-9a-f]{7,40}( with uncommitted changes)?)\)\n/
        #expect(output.stdout.wholeMatch(of: pattern) != nil, "\(output.stdout)")
        #expect(output.stdout.hasPrefix("coze-audit \(CozeAuditVersion.semantic) "))
    }

    @Test("the JSON report names the version that rendered it (tool_version)")
    func reportNamesVersion() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            let run = try await fixture.cli(["run"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try await fixture.reportJSON()
            #expect(json["tool_version"] as? String == CozeAuditVersion.tag)
            #expect((json["tool_version"] as? String)?.hasPrefix(CozeAuditVersion.semantic + "+") == true)
        }
    }
}
