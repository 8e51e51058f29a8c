import AuditQueries
@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// An in-memory store (same migrations as a real one) filled with plain SQL, so a test reads as
/// the rows a crawl would have written.
struct SeededStore {
    let store: AuditStore

    init(_ sql: String = "") throws {
        store = try AuditStore(inMemory: ())
        if !sql.isEmpty { try seed(sql) }
    }

    func seed(_ sql: String) throws {
        try store.write { db in try db.execute(sql: sql) }
    }

    /// Every row of `sql` as text: integers and reals printed, NULL as nil.
    func table(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [[String?]] {
        try store.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                row.databaseValues.map(SeededStore.text)
            }
        }
    }

    func columns(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [String] {
        try store.read { db in
            let statement = try db.makeStatement(sql: sql)
            return statement.columnNames
        }
    }

    /// One file of `queries/`, run by hand as a user would, with `:run_id` bound.
    func query(_ name: String, runID: Int64) throws -> [[String?]] {
        let sql = try #require(AuditQueries.findingQueries.first { $0.name == name }?.sql, "no query named \(name)")
        return try table(sql, ["run_id": runID])
    }

    /// The rows of the five core kinds (docs/product.md §3) that `FindingsEngine` stored for a run, ordered
    /// by key. Later kinds (§3b) have their own queries and are left out here.
    func findings(runID: Int64) throws -> [[String?]] {
        try table("""
            SELECT key, kind, severity, resource_type, resource_id, credential, endpoint, code, reason, count,
                   seen_by, details, is_new, first_run_id
            FROM finding WHERE run_id = ? AND kind IN (\(findingQueryNames.map { "'\($0)'" }.joined(separator: ", ")))
            ORDER BY key
            """, [runID])
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let b): "<\(b.count) bytes>"
        }
    }
}

/// The finding columns every query file returns, in order (queries/README.md).
let findingColumns = ["key", "kind", "severity", "resource_type", "resource_id", "credential", "endpoint", "code",
                      "reason", "count", "seen_by", "details"]

/// The five core finding queries of docs/product.md §3, in the order `AuditQueries` lists them.
let findingQueryNames = ["enterprise_permission_gap", "needs_personal_grant", "not_visible_to_enterprise",
                         "pat_still_required", "stale_pat"]

extension SeededStore {
    /// Runs every core query file by hand and through `FindingsEngine`, and compares both with the
    /// expected tables: each query's whole ordered result (queries absent from `expected` must
    /// return nothing), and the stored core findings of the run (is_new 1, first_run_id = run: a first run).
    func expectFindings(runID: Int64, _ expected: [String: [[String?]]],
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        for name in expected.keys {
            #expect(findingQueryNames.contains(name), "unknown query \(name)", sourceLocation: sourceLocation)
        }
        for name in findingQueryNames {
            let sql = try #require(AuditQueries.named(name))
            #expect(try columns(sql, ["run_id": runID]) == findingColumns, "columns of \(name)", sourceLocation: sourceLocation)
            #expect(try query(name, runID: runID) == (expected[name] ?? []), "rows of \(name)", sourceLocation: sourceLocation)
        }
        try FindingsEngine.compute(store: store, runID: runID)
        var stored: [[String?]] = []
        for name in findingQueryNames {
            for row in expected[name] ?? [] {
                stored.append(row + ["1", String(runID)])
            }
        }
        stored.sort { (lhs: [String?], rhs: [String?]) -> Bool in
            let l: String = lhs[0] ?? "", r: String = rhs[0] ?? ""
            return l < r
        }
        #expect(try findings(runID: runID) == stored, "finding table of run \(runID)", sourceLocation: sourceLocation)
    }
}

/// Collects what a `@Sendable` closure receives.
final class Collected<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value] = []
    func append(_ value: Value) { lock.lock(); storage.append(value); lock.unlock() }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return storage }
}
