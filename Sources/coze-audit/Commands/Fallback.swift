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
            let store = try CLI.catching { try ReadOnlyStore.open(path: config.databasePath) }
            // Only the run id is needed: load no finding rows (a large run has hundreds of thousands).
            let runID = try CLI.catching { try ReportBuilder.build(store: store, runID: run, findingsPerKind: 0).run.id }
            let check = try CLI.catching { try FallbackCheck.compute(store: store, runID: Int64(runID)!, chains: config.fallbackChains) }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(check), as: UTF8.self))
            } else {
                print(check.text(), terminator: "")
            }
        }
    }
}
