/// What `coze-audit run` prints after a run, and what `--fail-on` decides on.
///
/// Without `verbose` at most ``findingsPerKind`` new findings of each kind are listed (the same
/// rows the HTML report shows), followed by how many more there are: a million-resource audit
/// neither loads every finding into memory nor mails half a million lines to cron. `verbose`
/// loads and lists them all.
public struct RunSummary: Sendable {
    public static let findingsPerKind = HTMLRenderer.rowsPerGroup

    public var text: String
    /// Counted in SQL over every finding of the run, whatever was listed.
    public var tally: FindingTally

    public static func build(store: AuditStore, runID: Int64, verbose: Bool) throws -> RunSummary {
        let report = try ReportBuilder.build(store: store, runID: runID, findingsPerKind: verbose ? nil : findingsPerKind)
        return RunSummary(text: TextRenderer.render(report, detail: verbose ? .all : .newOnly), tally: report.tallyOfAll)
    }

    /// The same text as ``build(store:runID:verbose:)`` — `text` only.
    public static func text(store: AuditStore, runID: Int64, verbose: Bool) throws -> String {
        try build(store: store, runID: runID, verbose: verbose).text
    }
}
