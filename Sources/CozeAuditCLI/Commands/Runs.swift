import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stored runs with their status and counts (— where a value is missing).",
            discussion: "Example: coze-audit runs --config coze-audit.yaml")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let store = try ReadOnlyStore.open(path: try options.databasePath())
            let table = try RunList.load(store: store)
            print(table.text(missing: "—"), terminator: "")
        }
    }
}
