import Foundation

/// The formats a stored run renders to.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, html, csv, junit, prometheus
}

/// A stored run rendered in one format: the one pipeline behind `report`, `run` and `demo`, so
/// the HTML page (report, trend over earlier runs, fallback check) and the run summary are each
/// assembled in exactly one place.
public enum ReportRendering {
    /// How many findings the text lists.
    public enum Listing: Sendable {
        /// Every finding (`report`, `run --verbose`).
        case everyFinding
        /// The new findings only, at most ``summaryRowsPerKind`` of each kind, then how many more
        /// (`run`): a million-resource audit neither loads every finding into memory nor mails half
        /// a million lines to cron.
        case newFindingsCapped
    }

    /// The rows per kind the run summary lists: the rows the HTML report shows.
    public static let summaryRowsPerKind = HTMLRenderer.rowsPerGroup

    /// A rendered run and its counts, which `--fail-on` decides on.
    public struct Rendered: Sendable {
        public var output: String
        /// Counted in SQL over every finding of the run, whatever was listed.
        public var tally: FindingTally
    }

    /// - Parameters:
    ///   - runID: the run (nil: the latest).
    ///   - fallbackChains: the configured chains for the HTML page's fallback check; nil: the
    ///     guide's default (personal credentials first, then enterprise) over the run's credentials.
    ///   - listing: for `text`, which findings are listed.
    public static func rendered(_ format: ReportFormat, store: AuditStore, runID: Int64? = nil,
                                fallbackChains: [FallbackCheck.Chain]? = nil, listing: Listing = .everyFinding) throws -> Rendered {
        // The HTML page and the capped summary show the first rows of each kind: no need to load
        // a large run's every finding for them.
        let capped = format == .html || (format == .text && listing == .newFindingsCapped)
        let report = try ReportBuilder.build(store: store, runID: runID, findingsPerKind: capped ? summaryRowsPerKind : nil)
        let output: String
        switch format {
        case .text: output = TextRenderer.render(report, detail: listing == .newFindingsCapped ? .newOnly : .all)
        case .csv: output = CSVRenderer.render(report)
        case .junit: output = JUnitRenderer.render(report)
        case .json: output = try JSONRenderer.render(report)
        case .prometheus:
            let id = report.run.number
            output = PrometheusRenderer.render(report, try store.read { db in try PrometheusRenderer.load(db, runID: id) })
        case .html:
            let id = report.run.number
            let history = try RunHistory.load(store: store, upTo: id)
            let chains = fallbackChains ?? [FallbackCheck.defaultChain(report.credentials.map { ($0.name, $0.side) })]
            let fallback = try FallbackCheck.compute(store: store, runID: id, chains: chains)
            output = try HTMLRenderer.render(report, history: history, fallback: fallback)
        }
        return Rendered(output: output, tally: report.tallyOfAll)
    }

    /// ``rendered(_:store:runID:fallbackChains:listing:)``'s output only.
    public static func render(_ format: ReportFormat, store: AuditStore, runID: Int64? = nil,
                              fallbackChains: [FallbackCheck.Chain]? = nil, listing: Listing = .everyFinding) throws -> String {
        try rendered(format, store: store, runID: runID, fallbackChains: fallbackChains, listing: listing).output
    }
}
