import ArgumentParser
import CozeAudit
import Foundation

extension ReportFormat: ExpressibleByArgument {}

extension CozeAuditCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a stored run as text, JSON or a self-contained HTML page.",
            discussion: "Example: coze-audit report --format html -o audit.html")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The run to render (default: the latest).")
        var run: Int64?

        @Option(help: "text, json, html, csv, junit or prometheus (the metrics of run --metrics-file).")
        var format: ReportFormat = .text

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func run() async throws {
            let store = try ReadOnlyStore.open(path: try options.databasePath())
            // Chains from the config when there is one; else the guide's default over the run's credentials.
            let chains = format == .html ? (try? ConfigLoader.load(path: options.config))?.fallbackChains : nil
            try CLI.write(try ReportRendering.render(format, store: store, runID: run, fallbackChains: chains), to: output)
        }
    }
}
