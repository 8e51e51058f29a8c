import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Fallback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the guide's fallback: which credential each resource ends on, and which none reaches.",
            discussion: """
                Chains come from `fallback:` in the config (default: personal credentials, then enterprise ones).
                Example: coze-audit fallback --config coze-audit.yaml --format json
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "The run to check (default: the latest).")
        var run: Int64?

        @Option(help: "text or json.")
        var format: TextOrJSON = .text

        func run() async throws {
            let config = try options.load()
            let store = try ReadOnlyStore.open(path: config.databasePath)
            let check = try FallbackCheck.compute(store: store, runID: try store.runID(run), chains: config.fallbackChains)
            if format == .json {
                print(try StableJSON.encode(check), terminator: "")
            } else {
                print(check.text(), terminator: "")
            }
        }
    }
}
