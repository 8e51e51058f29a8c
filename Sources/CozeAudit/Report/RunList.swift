import GRDB

/// `coze-audit runs`: the stored runs with their status and counts. A run left `running` by a
/// process that died is shown `failed` (interrupted) (``RunLiveness``); a missing value is `—`.
public enum RunList {
    public static func load(store: AuditStore) throws -> QueryResult {
        let path = store.path
        return try store.read { db in
            let interrupted = try RunLiveness.interruptedRuns(db, databasePath: path)
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.id, r.status, r.started_at, r.finished_at, r.pruned_at, r.reason,
                  (SELECT count(*) FROM run_credential WHERE run_id = r.id) AS credentials,
                  (SELECT count(*) FROM finding WHERE run_id = r.id) AS findings,
                  (SELECT count(*) FROM finding WHERE run_id = r.id AND is_new) AS new
                FROM run r ORDER BY r.id
                """)
            return QueryResult(
                columns: ["id", "status", "started_at", "finished_at", "credentials", "findings", "new", "detail", "reason"],
                rows: rows.map { row in
                    let id: Int64 = row["id"]
                    let shown = RunLiveness.shown(status: row["status"], reason: row["reason"], interrupted: interrupted.contains(id))
                    let prunedAt: String? = row["pruned_at"]
                    return [String(id), shown.status, row["started_at"], row["finished_at"],
                            String(row["credentials"] as Int), String(row["findings"] as Int), String(row["new"] as Int),
                            prunedAt.map { "pruned \($0)" }, shown.reason]
                })
        }
    }
}
