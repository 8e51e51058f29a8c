import GRDB

/// Per-run series for the trend charts: findings per kind and request success per credential,
/// over the last finished runs (oldest first).
public struct RunHistory: Sendable {
    public struct RunPoint: Sendable {
        public var id: Int64
        public var status: String
        public var findingsByKind: [String: Int]
        /// credential name → (requests, failed)
        public var requests: [String: (total: Int, failed: Int)]
    }

    public var runs: [RunPoint]

    /// Finished runs, and runs left `running` by a process that died (shown `failed`, ``RunLiveness``).
    public static func load(store: AuditStore, upTo runID: Int64? = nil, limit: Int = 30) throws -> RunHistory {
        let path = store.path
        return try store.read { db in
            let last = try runID ?? AuditStore.latestRunID(db) ?? 0
            let interrupted = try RunLiveness.interruptedRuns(db, databasePath: path)
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM (SELECT id FROM run WHERE id <= ? AND (status <> 'running' OR id IN (SELECT value FROM json_each(?)))
                  ORDER BY id DESC LIMIT ?) ORDER BY id
                """, arguments: [last, "[" + interrupted.map(String.init).joined(separator: ",") + "]", limit])
            var runs: [RunPoint] = []
            for id in ids {
                guard let run = try AuditStore.run(db, id: id)?.shown(interrupted: interrupted.contains(id)) else { continue }
                let status = run.status.rawValue
                var byKind: [String: Int] = [:]
                for row in try KindCount.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM finding WHERE run_id = ? GROUP BY kind", arguments: [id]) {
                    byKind[row.kind] = row.n
                }
                var requests: [String: (Int, Int)] = [:]
                for row in try CredentialRequests.fetchAll(db, sql: """
                    SELECT c.name, rc.requests, rc.failed_requests FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
                    WHERE rc.run_id = ?
                    """, arguments: [id]) {
                    requests[row.name] = (row.requests, row.failedRequests)
                }
                runs.append(RunPoint(id: id, status: status, findingsByKind: byKind, requests: requests))
            }
            return RunHistory(runs: runs)
        }
    }

    func findingsPerRun(kinds: [String]) -> SVGChart.Series {
        SVGChart.Series(labels: runs.map { "#\($0.id)" }, names: kinds,
                        values: runs.map { run in kinds.map { Double(run.findingsByKind[$0] ?? 0) } })
    }

    func successRatePerCredential() -> SVGChart.Series {
        let names = Array(Set(runs.flatMap { $0.requests.keys })).sorted()
        return SVGChart.Series(labels: runs.map { "#\($0.id)" }, names: names, values: runs.map { run in
            names.map { name in
                guard let r = run.requests[name], r.total > 0 else { return .nan }
                return 100 * Double(r.total - r.failed) / Double(r.total)
            }
        })
    }
}
