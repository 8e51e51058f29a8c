import Foundation
import ArgumentParser
import CozeAudit
import CozeBench

/// The root command; ``entryPoint()`` is what the binary runs (Sources/coze-audit/main.swift).
public struct CozeAuditCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "coze-audit",
        abstract: "Audit what a Coze account still reaches only with personal credentials after an enterprise migration.",
        discussion: """
            Exit codes: 0 success; 1 findings matched --fail-on; 2 usage or config error; \
            3 the run is partial or failed; 4 another run holds the database lock.

            Example (nightly, from cron):
              coze-audit run --config /etc/coze-audit.yaml --fail-on new
            """,
        // `--version`: the semantic version and, for a scripts/release build, the commit.
        version: CozeAuditVersion.description,
        subcommands: [Run.self, Report.self, Query.self, Runs.self, Diff.self, Prune.self, Fallback.self, Check.self, Login.self, Demo.self, Simulate.self, Bench.self, Init.self])

    /// The process entry point: parse, run, and turn what a command threw into one stderr line and
    /// its exit code (not `main()`, which argument-parser's protocols already declare).
    public static func entryPoint() async {
        LogSetup.bootstrap()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // A usage error is exit 2 (docs/product.md §2; argument-parser's default is 64);
            // --help and --version keep argument-parser's own handling.
            if exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
            PeakMemory.recordIfRequested()
        } catch {
            PeakMemory.recordIfRequested()
            let outcome = CLI.outcome(of: error)
            if let message = outcome.message {
                FileHandle.standardError.write(Data("coze-audit: \(message)\n".utf8))
            }
            Foundation.exit(outcome.code)
        }
    }
}
