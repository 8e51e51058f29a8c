import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stored runs with their status and counts.",
            discussion: "Example: coze-audit runs --config coze-audit.yaml")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let store = try CLI.catching { try ReadOnlyStore.open(path: try options.databasePath()) }
            let table = try CLI.catching { try QueryRunner.run(store: store, sql: QueryRunner.runsSQL, arguments: [:]) }
            print(table.text(), terminator: "")
        }
    }
}
