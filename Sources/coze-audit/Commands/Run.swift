import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit every configured credential once and store the run.",
            discussion: """
                Prints a one-line summary and the new findings (everything with --verbose).
                Example: coze-audit run --config coze-audit.yaml --fail-on new
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "Exit 1 when findings match: none (never), new (any new finding), any (any finding).")
        var failOn: FailOn = .none

        @Flag(name: .shortAndLong, help: "Print every finding, not only the new ones.")
        var verbose = false

        enum FailOn: String, ExpressibleByArgument, CaseIterable { case none, new, any }

        func run() async throws {
            let config = try options.load()
            let credentials = try CLI.catching { try CredentialResolver().resolve(config, configFile: options.config) }
            let progress: ProgressLine? = CLI.stderrIsTTY ? ProgressLine() : nil
            let result = try await CLI.catching {
                try await AuditRunner(config: config, credentials: credentials, progress: progress).run()
            }
            await progress?.clear()
            let store = try CLI.catching { try AuditStore(path: config.databasePath) }
            let summary = try CLI.catching { try RunSummary.build(store: store, runID: result.runID, verbose: verbose) }
            print(summary.text, terminator: "")
            if result.status != .complete { throw ExitCode(3) }
            switch failOn {
            case .none: break
            case .new: if summary.tally.newOpen > 0 { throw ExitCode(1) }
            case .any: if summary.tally.open > 0 { throw ExitCode(1) }
            }
        }
    }
}
