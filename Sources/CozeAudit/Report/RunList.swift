import GRDB

/// `coze-audit runs`: the stored runs with their status and counts. A run left `running` by a
/// process that died is shown `failed` (interrupted) (``RunLiveness``); a missing value is `—`.
public enum RunList {
    public static func load(store: AuditStore) throws -> QueryResult {
        let path = store.path
        return try store.read { db in
            let interrupted = try RunLiveness.interruptedRuns(db, databasePath: path)
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.*,
                  (SELECT count(*) FROM run_credential WHERE run_id = r.id) AS credential_count,
                  (SELECT count(*) FROM finding WHERE run_id = r.id) AS finding_count,
                  (SELECT count(*) FROM finding WHERE run_id = r.id AND is_new) AS new_finding_count
                FROM run r ORDER BY r.id
                """)
            return QueryResult(
                columns: ["id", "status", "started_at", "finished_at", "credentials", "findings", "new", "detail", "reason"],
                rows: rows.map { row in
                    let run = RunRecord(row: row).shown(interrupted: interrupted.contains(row["id"]))
                    let counts: [Int] = [row["credential_count"], row["finding_count"], row["new_finding_count"]]
                    return [String(run.id), run.status.rawValue, run.startedAt, run.finishedAt]
                        + counts.map { String($0) } + [run.prunedAt.map { "pruned \($0)" }, run.reason]
                })
        }
    }
}
