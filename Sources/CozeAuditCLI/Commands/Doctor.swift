import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the API the questions its docs leave open, with each configured credential.",
            discussion: """
                A fixed handful of read-only GETs per credential (under 40, within qps): the page parameter of
                /v1/bots and /v1/apps, each listing's page size maximum, total_count against the pages, has_more
                on last pages, an unknown path, /v1/workspaces with enterprise_id, users/me per credential type,
                4101 texts and rate-limit headers. Prints `question | observed | what coze-audit does about it`
                and stores the answers; later runs use what it learned about paging. Exit 0 when every question
                was answered, 3 otherwise.
                Example: coze-audit doctor --config coze-audit.yaml --format json
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "text or json.")
        var format: TextOrJSON = .text

        func run() async throws {
            let config = try options.load()
            let credentials = try CredentialResolver().resolve(config, configFile: options.config)
            let report = try await CozeAudit.Doctor(config: config, credentials: credentials).run()
            if format == .json {
                print(try StableJSON.encode(report), terminator: "")
            } else {
                print(report.text(), terminator: "")
            }
            if !report.allAnswered { throw ExitCode(3) }
        }
    }
}
