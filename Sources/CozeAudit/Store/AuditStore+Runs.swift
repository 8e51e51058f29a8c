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

    /// The stored row of run `id`, or nil.
    public func run(id: Int64) throws -> RunRecord? {
        try read { db in try Self.run(db, id: id) }
    }

    /// Every stored run, oldest first.
    public func runs() throws -> [RunRecord] {
        try read { db in try RunRecord.fetchAll(db, sql: "SELECT * FROM run ORDER BY id") }
    }

    /// The findings of run `id` (nil: the latest), every one, in report order (new first, then by key).
    public func findings(run id: Int64? = nil) throws -> [Finding] {
        try read { db in
            let runID = try Self.runID(db, id)
            return try ReportBuilder.findings(db, runID: runID, tallies: ReportBuilder.tallies(db, runID: runID), perKind: nil)
        }
    }

    static func run(_ db: Database, id: Int64) throws -> RunRecord? {
        try RunRecord.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id])
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
