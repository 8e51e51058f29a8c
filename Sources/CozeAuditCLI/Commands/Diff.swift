import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show resources and findings that appeared or disappeared between two runs.",
            discussion: "Example: coze-audit diff --from 3 --to 5 --format json")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The earlier run (default: the complete run before --to).")
        var from: Int64?

        @Option(help: "The later run (default: the latest complete run).")
        var to: Int64?

        @Option(help: "text or json.")
        var format: TextOrJSON = .text

        func run() async throws {
            let store = try ReadOnlyStore.open(path: try options.databasePath())
            let diff = try RunDiff.compute(store: store, from: from, to: to)
            print(format == .json ? try diff.json() : diff.text(), terminator: "")
        }
    }
}
