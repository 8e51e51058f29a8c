import Foundation

/// The formats a stored run renders to.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, html, csv, junit
}

/// A stored run rendered in one format: the one pipeline behind `report` and `demo`, so the HTML
/// page (report, trend over earlier runs, fallback check) is assembled in exactly one place.
public enum ReportRendering {
    /// - Parameters:
    ///   - runID: the run (nil: the latest).
    ///   - fallbackChains: the configured chains for the HTML page's fallback check; nil: the
    ///     guide's default (personal credentials first, then enterprise) over the run's credentials.
    public static func render(_ format: ReportFormat, store: AuditStore, runID: Int64? = nil,
                              fallbackChains: [FallbackCheck.Chain]? = nil) throws -> String {
        // The HTML page shows the first rows of each kind: no need to load a large run's every finding.
        let report = try ReportBuilder.build(store: store, runID: runID, findingsPerKind: format == .html ? HTMLRenderer.rowsPerGroup : nil)
        switch format {
        case .text: return TextRenderer.render(report)
        case .csv: return CSVRenderer.render(report)
        case .junit: return JUnitRenderer.render(report)
        case .json: return try JSONRenderer.render(report)
        case .html:
            let id = report.run.number
            let history = try RunHistory.load(store: store, upTo: id)
            let chains = fallbackChains ?? [FallbackCheck.defaultChain(report.credentials.map { ($0.name, $0.side) })]
            let fallback = try FallbackCheck.compute(store: store, runID: id, chains: chains)
            return try HTMLRenderer.render(report, history: history, fallback: fallback)
        }
    }
}
