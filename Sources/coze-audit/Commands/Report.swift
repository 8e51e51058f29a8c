import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a stored run as text, JSON or a self-contained HTML page.",
            discussion: "Example: coze-audit report --format html -o audit.html")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The run to render (default: the latest).")
        var run: Int64?

        @Option(help: "text, json, html, csv or junit.")
        var format: Format = .text

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html, csv, junit }

        func run() async throws {
            let path = try options.databasePath()
            let store = try CLI.catching { try ReadOnlyStore.open(path: path) }
            // The HTML report shows the first rows of each kind: no need to load a large run's every finding.
            let perKind = format == .html ? HTMLRenderer.rowsPerGroup : nil
            let report = try CLI.catching { try ReportBuilder.build(store: store, runID: run, findingsPerKind: perKind) }
            let text: String
            switch format {
            case .text: text = TextRenderer.render(report)
            case .csv: text = CSVRenderer.render(report)
            case .junit: text = JUnitRenderer.render(report)
            case .json: text = try JSONRenderer.render(report)
            case .html:
                let history = try CLI.catching { try RunHistory.load(store: store, upTo: Int64(report.run.id)) }
                // Chains from the config when there is one; else the guide's default over the run's credentials.
                let chains = (try? ConfigLoader.load(path: options.config))?.fallbackChains
                    ?? [FallbackCheck.defaultChain(report.credentials.map { ($0.name, $0.side) })]
                let fallback = try CLI.catching { try FallbackCheck.compute(store: store, runID: Int64(report.run.id)!, chains: chains) }
                text = try CLI.catching { try HTMLRenderer.render(report, history: history, fallback: fallback) }
            }
            try CLI.write(text, to: output)
        }
    }
}
