import Foundation
import GRDB

/// The SQLite file of every run. Writers go through this type; ad-hoc SQL goes through
/// `ReadOnlyStore`, which cannot write by construction.
public final class AuditStore: Sendable {
    /// Private: callers state what they need (``read(_:)``, ``write(_:)``, the run intents of
    /// AuditStore+Runs.swift), never hold the connection pool.
    private let writer: any DatabaseWriter
    /// The SQLite file (nil in memory): read-only commands look next to it for the run lock, to
    /// tell a run still `running` from one whose process died (``RunLiveness``).
    public let path: String?

    /// Opens (creating and migrating) the database at `path` in WAL mode, so readers such as
    /// `report` never block a running audit and a killed writer never corrupts earlier runs.
    /// `prepareDatabase` runs on every new connection (tests use it to simulate a full disk with
    /// `PRAGMA max_page_count`).
    public init(path: String, prepareDatabase: (@Sendable (Database) throws -> Void)? = nil) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        // WAL + NORMAL: a commit is not fsynced (a checkpoint is). A killed process still loses
        // nothing committed and never corrupts the file; only a power cut may drop the last
        // commits of the run in progress. FULL fsynced every page of a million-resource crawl.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Space freed by retention goes back to the file system (`PRAGMA incremental_vacuum`).
            // SQLite applies this only to a file without tables yet, i.e. one being created (before
            // the WAL switch and the migrations); an existing file is converted by `Retention`.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
        }
        if let prepareDatabase { configuration.prepareDatabase(prepareDatabase) }
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.prepare(pool)
            writer = pool
            self.path = path
        } catch {
            throw StoreError.open(path: path, underlying: error)
        }
    }


    /// An in-memory database with the same migrations, for tests.
    public init(inMemory: Void = ()) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try Schema.prepare(queue)
        writer = queue
        path = nil
    }

    init(uncheckedWriter: any DatabaseWriter, path: String? = nil) {
        writer = uncheckedWriter
        self.path = path
    }

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.write(body)
    }

    public func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// For statements SQLite refuses inside a transaction (`VACUUM`, checkpoints): retention only.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction(body)
    }
}

/// A fatal storage problem, wrapped once with what was being done.
public enum StoreError: Error, CustomStringConvertible {
    case open(path: String, underlying: any Error)
    /// A write failed during a run (full disk, read-only file): the run is marked failed if possible.
    case write(path: String, underlying: any Error)
    case locked(path: String)
    case unknownRun(Int64)
    case noRuns

    public var description: String {
        switch self {
        case .open(let path, let underlying):
            (underlying as? CocoaError)?.code == .fileNoSuchFile
                ? "no database at \(path) (run `coze-audit run` first)"
                : "cannot open database \(path): \(StoreError.explain(underlying))"
        case .write(let path, let underlying):
            "cannot write database \(path): \(StoreError.explain(underlying))"
        case .locked(let path):
            "another coze-audit run is using \(path); try again when it has finished"
        case .unknownRun(let id):
            "no run with id \(id) (see `coze-audit runs`)"
        case .noRuns:
            "the database has no runs yet (run `coze-audit run` first)"
        }
    }

    /// SQLite's own words for the common cases (read-only file, full disk) are clear enough;
    /// GRDB's full description adds the SQL, which a cron mail does not need.
    public static func explain(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL: return "the disk is full (SQLITE_FULL)"
            case .SQLITE_READONLY: return "the database file is read-only (SQLITE_READONLY)"
            case .SQLITE_CANTOPEN: return "cannot open the file (SQLITE_CANTOPEN): check the folder exists and is writable"
            case .SQLITE_NOTADB: return "the file is not a SQLite database"
            default: return error.message ?? "\(error.resultCode)"
            }
        }
        return "\(error)"
    }
}
