import Foundation
import GRDB

/// Which runs keep their resource detail (sightings, listings, request failures): config
/// `retention: { keep_runs: N, keep_days: D }` after each run, or `coze-audit prune`.
///
/// A run's detail is kept when it is one of the `keep_runs` latest finished runs **or** started
/// within the last `keep_days` days (a rule not given keeps nothing by itself); the latest complete
/// run always keeps it (the baseline of `diff` and of the next run's `stranded`). A pruned run keeps
/// its run row (status, reason, times), its findings, its credential rows (`credential_history`,
/// the HTML trends) and its counts (`run.inventory`, `run_credential.sees`).
public struct RetentionPolicy: Sendable, Equatable {
    public var keepRuns: Int?
    public var keepDays: Int?

    public init(keepRuns: Int? = nil, keepDays: Int? = nil) {
        self.keepRuns = keepRuns
        self.keepDays = keepDays
    }

    /// `keep 7 runs or 30 days`
    public var text: String {
        [keepRuns.map { "the latest \($0) run\($0 == 1 ? "" : "s")" }, keepDays.map { "\($0) day\($0 == 1 ? "" : "s")" }]
            .compactMap { $0 }.joined(separator: " or ")
    }
}

/// Deletes the detail of the runs a ``RetentionPolicy`` does not keep, then gives the space back
/// to the file system.
///
/// Space: new databases are created with `auto_vacuum = INCREMENTAL` (``AuditStore``), so the
/// pages freed here are returned by `PRAGMA incremental_vacuum`. A file created before that is
/// converted by one `VACUUM` (a full rewrite, outside any transaction) the first time something is
/// pruned; later prunes are incremental. In WAL mode the file shrinks at the checkpoint that follows.
public enum Retention {
    public struct Result: Sendable, Equatable {
        public var prunedRuns: [Int64] = []
        public var deletedSightings = 0
        public var deletedListings = 0
        public var deletedFailures = 0
        /// The database file and its WAL, before and after.
        public var bytesBefore: Int64 = 0
        public var bytesAfter: Int64 = 0
        /// The file was converted to `auto_vacuum = INCREMENTAL` by a full VACUUM.
        public var vacuumed = false

        /// One line for people: what went and the size before → after.
        public var text: String {
            guard !prunedRuns.isEmpty else {
                return "nothing to prune; database \(Self.size(bytesBefore))"
            }
            let runs = prunedRuns.count == 1 ? "run \(prunedRuns[0])" : "\(prunedRuns.count) runs (\(prunedRuns.first!)–\(prunedRuns.last!))"
            return "pruned the detail of \(runs): \(deletedSightings) sightings, \(deletedListings) listings, "
                + "\(deletedFailures) request failures deleted; findings, counts and credential history kept; "
                + "database \(Self.size(bytesBefore)) → \(Self.size(bytesAfter))"
                + (vacuumed ? " (converted to incremental auto_vacuum by a one-time VACUUM)" : "")
        }

        static func size(_ bytes: Int64) -> String {
            bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1_000_000) : String(format: "%.0f kB", Double(bytes) / 1000)
        }
    }

    /// The finished runs whose detail the policy does not keep, oldest first.
    static func runsToPrune(_ db: Database, policy: RetentionPolicy, now: Date) throws -> [Int64] {
        guard policy.keepRuns != nil || policy.keepDays != nil else { return [] }
        return try Int64.fetchAll(db, sql: """
            SELECT r.id FROM run r
            WHERE r.status <> 'running' AND r.pruned_at IS NULL
              AND r.id IS NOT (SELECT max(id) FROM run WHERE status = 'complete')
              AND (:keep_runs IS NULL OR r.id NOT IN (
                     SELECT id FROM run WHERE status <> 'running' ORDER BY id DESC LIMIT :keep_runs))
              AND (:keep_days IS NULL OR julianday(r.started_at) < julianday(:now) - :keep_days)
            ORDER BY r.id
            """, arguments: ["keep_runs": policy.keepRuns, "keep_days": policy.keepDays, "now": Timestamp.format(now)])
    }

    /// Prunes and reclaims. The caller holds the writer lock (``RunLock``): a run still stored
    /// `running` is then one whose process died, and is stored `failed` (interrupted) first.
    public static func prune(store: AuditStore, policy: RetentionPolicy, now: Date = Date()) throws -> Result {
        var result = Result()
        result.bytesBefore = fileSize(store.path)
        let ids = try store.write { db -> [Int64] in
            try RunRecorder.markInterrupted(db)
            return try runsToPrune(db, policy: policy, now: now)
        }
        let prunedAt = Timestamp.format(now)
        for id in ids {
            // One transaction per run: a crash leaves every run either whole or pruned.
            let counts = try store.write { db -> (Int, Int, Int) in
                try db.execute(sql: "UPDATE run SET inventory = ? WHERE id = ?",
                               arguments: [try ReportBuilder.inventory(db, runID: id, credentialID: nil).encoded(), id])
                for credentialID in try Int64.fetchAll(db, sql: "SELECT credential_id FROM run_credential WHERE run_id = ?", arguments: [id]) {
                    try db.execute(sql: "UPDATE run_credential SET sees = ? WHERE run_id = ? AND credential_id = ?",
                                   arguments: [try ReportBuilder.inventory(db, runID: id, credentialID: credentialID).encoded(), id, credentialID])
                }
                try db.execute(sql: "DELETE FROM sighting WHERE run_id = ?", arguments: [id])
                let sightings = db.changesCount
                try db.execute(sql: "DELETE FROM listing WHERE run_id = ?", arguments: [id])
                let listings = db.changesCount
                try db.execute(sql: "DELETE FROM request_failure WHERE run_id = ?", arguments: [id])
                let failures = db.changesCount
                try db.execute(sql: "UPDATE run SET pruned_at = ? WHERE id = ?", arguments: [prunedAt, id])
                return (sightings, listings, failures)
            }
            result.prunedRuns.append(id)
            result.deletedSightings += counts.0
            result.deletedListings += counts.1
            result.deletedFailures += counts.2
        }
        result.vacuumed = try reclaim(store: store, convert: !ids.isEmpty)
        result.bytesAfter = fileSize(store.path)
        return result
    }

    /// Returns free pages to the file system; true when the file was converted by a full VACUUM.
    /// Neither VACUUM nor a change of `auto_vacuum` can run inside a transaction.
    static func reclaim(store: AuditStore, convert: Bool) throws -> Bool {
        try store.writeWithoutTransaction { db in
            let mode = try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0
            var vacuumed = false
            if mode != 2 {
                guard convert else { return false }
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
                vacuumed = true
            } else if try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 > 0 {
                try db.execute(sql: "PRAGMA incremental_vacuum")
            }
            // The WAL holds the freed pages until a checkpoint writes the smaller file back.
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return vacuumed
        }
    }

    /// The database file plus its WAL (0 in memory).
    public static func fileSize(_ path: String?) -> Int64 {
        guard let path else { return 0 }
        return [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
