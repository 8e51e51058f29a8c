/// The named SQL files of `queries/`, embedded in the binary so that a copied `coze-audit`
/// needs no resource bundle. The files themselves are the documentation: a user can run them
/// by hand with `sqlite3` after replacing `:run_id`.
public enum AuditQueries {
    /// File name without `.sql` → SQL text: every finding kind's query, in the kinds' order.
    public static var findingQueries: [(name: String, sql: String)] {
        FindingKind.allCases.map { ($0.rawValue, $0.definition.sql) }
    }

    /// Defaults for parameters other than `:run_id`, used by the findings and by `query NAME`.
    public static let defaultParameters: [String: Int64] = ["window_days": 30]

    /// Every named query a user can run with `coze-audit query NAME`.
    public static var all: [(name: String, sql: String)] { findingQueries + [("credential_history", credentialHistory)] }

    /// Per-credential history across runs (first seen, last valid, invalid since, success rate).
    public static var credentialHistory: String { FindingKind.text(PackageResources.credential_history_sql) }

    public static func named(_ name: String) -> String? {
        all.first { $0.name == name }?.sql
    }
}
