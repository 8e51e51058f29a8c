import ArgumentParser
import AuditQueries
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a named query from queries/ or your own read-only SQL.",
            discussion: """
                The database is opened read-only: writes and ATTACH are refused.
                Examples:
                  coze-audit query --list
                  coze-audit query needs_personal_grant --param run_id=3
                  coze-audit query --sql "SELECT kind, count(*) FROM finding GROUP BY kind" --format csv
                """)

        @OptionGroup var options: ConfigOptions

        @Argument(help: "A query name from --list.")
        var name: String?

        @Option(help: "Your own SQL (read-only).")
        var sql: String?

        @Flag(help: "List the named queries.")
        var list = false

        @Option(name: .customLong("param"), help: "A named parameter, k=v (run_id defaults to the latest run).")
        var params: [String] = []

        @Option(help: "table, csv or json.")
        var format: QueryResult.Format = .table

        func run() async throws {
            if list {
                for query in AuditQueries.all {
                    let purpose = query.sql.split(separator: "\n").first.map { $0.replacingOccurrences(of: "-- ", with: "") } ?? ""
                    print("\(query.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(purpose)")
                }
                return
            }
            let text: String
            switch (name, sql) {
            case (let name?, nil):
                guard let named = AuditQueries.named(name) else {
                    throw CLI.fail("no query named \(name) (see coze-audit query --list)", code: 2)
                }
                text = named
            case (nil, let sql?): text = sql
            default: throw CLI.fail("give a query NAME or --sql, not both (or --list)", code: 2)
            }
            var arguments: [String: String] = [:]
            for param in params {
                let parts = param.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw CLI.fail("--param expects k=v, got \(param)", code: 2) }
                arguments[parts[0]] = parts[1]
            }
            let store = try ReadOnlyStore.open(path: try options.databasePath())
            let result = try QueryRunner.run(store: store, sql: text, arguments: arguments)
            print(result.render(format), terminator: "")
        }
    }
}

extension QueryResult.Format: ExpressibleByArgument {}
