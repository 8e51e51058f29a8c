import GRDB

/// Why a run is `partial`: every listing that could not be answered (transport errors, timeouts,
/// 5xx or rate limiting past the retries, malformed bodies, pagination loops and dropped pages),
/// and every credential whose token was rejected mid-run (its later listings observed nothing).
/// Both are blind spots (`blind_spot` view): findings never read them as absence.
enum RunIntegrity {
    /// One line per (credential, endpoint) that failed and per credential rejected mid-run, sorted.
    static func reasons(store: AuditStore, runID: Int64) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT reason FROM (
                  SELECT c.name AS name, l.endpoint AS endpoint,
                    c.name || ': ' || l.endpoint || ' (' || count(*) || 'x, last: ' ||
                    COALESCE('HTTP ' || max(l.http_status) || ' ', '') || COALESCE('code ' || max(l.code) || ' ', '') ||
                    COALESCE(max(l.message), '') || ')' AS reason
                  FROM listing l JOIN credential c ON c.id = l.credential_id
                  WHERE l.run_id = :run AND l.status = 'error'
                  GROUP BY c.name, l.endpoint
                  UNION ALL
                  SELECT c.name, '', c.name || ': token rejected mid-run (' ||
                    COALESCE('code ' || max(l.code) || ', ', '') || count(*) || ' listings not observed)'
                  FROM listing l JOIN credential c ON c.id = l.credential_id
                  WHERE l.run_id = :run AND l.status = 'invalid' AND l.kind <> 'user'
                  GROUP BY c.name
                )
                ORDER BY name, endpoint
                """, arguments: ["run": runID])
        }
    }
}
