/// The named SQL files of `queries/`, embedded in the binary so that a copied `coze-audit`
/// needs no resource bundle. The files themselves are the documentation: a user can run them
/// by hand with `sqlite3` after replacing `:run_id`.
public enum AuditQueries {
    /// File name without `.sql` → SQL text, in the order findings are computed and reported.
    public static let findingQueries: [(name: String, sql: String)] = [
        ("enterprise_permission_gap", text(PackageResources.enterprise_permission_gap_sql)),
        ("needs_personal_grant", text(PackageResources.needs_personal_grant_sql)),
        ("not_visible_to_enterprise", text(PackageResources.not_visible_to_enterprise_sql)),
        ("pat_still_required", text(PackageResources.pat_still_required_sql)),
        ("stale_pat", text(PackageResources.stale_pat_sql)),
        ("app_not_authorized", text(PackageResources.app_not_authorized_sql)),
        ("workspace_scope_gap", text(PackageResources.workspace_scope_gap_sql)),
        ("stranded", text(PackageResources.stranded_sql)),
        ("obo_cannot_use_grant", text(PackageResources.obo_cannot_use_grant_sql)),
        ("pat_in_production", text(PackageResources.pat_in_production_sql)),
    ]

    /// Defaults for parameters other than `:run_id`, used by the findings and by `query NAME`.
    public static let defaultParameters: [String: Int64] = ["window_days": 30]

    /// Every named query a user can run with `coze-audit query NAME`.
    public static var all: [(name: String, sql: String)] { findingQueries + [("credential_history", credentialHistory)] }

    /// Per-credential history across runs (first seen, last valid, invalid since, success rate).
    public static var credentialHistory: String { text(PackageResources.credential_history_sql) }

    public static func named(_ name: String) -> String? {
        all.first { $0.name == name }?.sql
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
