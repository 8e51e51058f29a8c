/// `report --format csv`: one row per finding, RFC 4180 (quoted fields, CRLF), for spreadsheets.
public enum CSVRenderer {
    static let columns = ["kind", "key", "severity", "new", "accepted", "resource_type", "resource_id", "name", "workspace",
                          "bot", "seen_by", "credential", "reason", "endpoint", "code", "exclusive_resources",
                          "not_observed", "last_seen_run", "first_seen_run", "remedy"]

    public static func render(_ report: AuditReport) -> String {
        QueryResult(columns: columns, rows: report.findings.map { f in
            [f.kind, f.key, f.severity, f.new ? "true" : "false", f.accepted?.reason, f.resourceType, f.resourceID, f.name,
             f.workspace, f.bot, f.seenBy?.joined(separator: " "), f.credential, f.reason, f.endpoint, f.code.map(String.init),
             f.exclusiveResources.map(String.init), f.notObserved?.joined(separator: " "), f.lastSeenRun, f.firstSeenRun, f.remedy]
        }).csv()
    }
}
