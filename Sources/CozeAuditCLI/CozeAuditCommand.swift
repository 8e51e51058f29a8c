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
        subcommands: [Run.self, Report.self, Query.self, Runs.self, Diff.self, Prune.self, Fallback.self, Check.self, Doctor.self, Notify.self, Login.self, Demo.self, Simulate.self, Bench.self, Init.self])

    /// The process entry point: parse, run, and turn what a command threw into one stderr line and
    /// its exit code (not `main()`, which argument-parser's protocols already declare).
    public static func entryPoint() async {
        LogSetup.bootstrap()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitIfParserOutcome(error)
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
            // `SUBCOMMAND --help` parses to argument-parser's help command, whose run throws.
            exitIfParserOutcome(error)
            let outcome = CLI.outcome(of: error)
            if let message = outcome.message {
                FileHandle.standardError.write(Data("coze-audit: \(message)\n".utf8))
            }
            Foundation.exit(outcome.code)
        }
    }

    /// argument-parser's own outcomes keep its handling: help and `--version` print and exit 0, a
    /// usage error prints its full message and exits 2 (docs/product.md §2; its default is 64).
    /// Returns for every other error.
    static func exitIfParserOutcome(_ error: any Error) {
        switch exitCode(for: error) {
        case .validationFailure:
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        case .success:
            exit(withError: error)
        default:
            return
        }
    }
}
