import Foundation

/// `report --format json`: the view model as `coze-audit.report/v1`, keys sorted so the output
/// is stable for diffs and golden files.
public enum JSONRenderer {
    public static func render(_ report: AuditReport) throws -> String {
        try StableJSON.encode(report)
    }
}
