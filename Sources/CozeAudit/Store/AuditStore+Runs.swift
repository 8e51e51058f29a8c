import GRDB

/// What commands ask the store about runs, as intents, so no command reads the `run` table itself
/// (or builds a whole report to learn a run's number).
extension AuditStore {
    /// The latest run's number, or nil when the database holds no run yet.
    public func latestRunID() throws -> Int64? {
        try read { db in try Self.latestRunID(db) }
    }

    /// The run a command names: `requested` when it exists, else the latest.
    /// - Throws: ``StoreError/unknownRun(_:)`` (exit 2) or ``StoreError/noRuns``.
    public func runID(_ requested: Int64? = nil) throws -> Int64 {
        try read { db in try Self.runID(db, requested) }
    }

    static func latestRunID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM run")
    }

    static func runID(_ db: Database, _ requested: Int64?) throws -> Int64 {
        guard let requested else {
            guard let latest = try latestRunID(db) else { throw StoreError.noRuns }
            return latest
        }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [requested]) == true else {
            throw StoreError.unknownRun(requested)
        }
        return requested
    }
}
