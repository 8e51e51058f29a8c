import AuditQueries
import Foundation
import GRDB

/// Computes the findings of a run with the SQL files of `queries/` and stores them, so that the
/// reports and a user running the same SQL by hand can never disagree.
public enum FindingsEngine {
    /// Runs every finding query for `runID` in one transaction, stores the rows, and marks each
    /// finding `new` when the latest complete run before this one had no finding with its key.
    /// Kinds computed from the configuration alone (an enterprise-side PAT, an OAuth user token):
    /// true whatever the API answered, so even a failed run reports them.
    public static let configDerivedKinds = Set(FindingKind.allCases.filter(\.definition.fromConfigAlone).map(\.rawValue))

    /// - Parameter kinds: compute only these kinds (nil: all). A failed run passes ``configDerivedKinds``.
    public static func compute(store: AuditStore, runID: Int64, accept: [Acceptance] = [], on date: Date = Date(),
                               parameters: [String: Int64] = AuditQueries.defaultParameters,
                               kinds: Set<String>? = nil) throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM finding WHERE run_id = ?", arguments: [runID])
            for query in AuditQueries.findingQueries where kinds?.contains(query.name) ?? true {
                var arguments: [String: Int64] = ["run_id": runID]
                for name in QueryRunner.parameterNames(query.sql) where name != "run_id" {
                    arguments[name] = parameters[name]
                }
                try db.execute(sql: insertSQL(query.sql), arguments: StatementArguments(arguments))
            }
            let previous = try previousCompleteRun(db, before: runID)
            if let previous {
                try db.execute(sql: """
                    UPDATE finding SET
                      is_new = NOT EXISTS (SELECT 1 FROM finding p WHERE p.run_id = :previous AND p.key = finding.key),
                      first_run_id = COALESCE((SELECT p.first_run_id FROM finding p WHERE p.run_id = :previous AND p.key = finding.key), :run_id)
                    WHERE run_id = :run_id
                    """, arguments: ["previous": previous, "run_id": runID])
            }
            try applyAcceptances(db, runID: runID, accept: accept, on: date)
        }
    }

    /// The statement that stores one query file's rows as findings of `:run_id`.
    static func insertSQL(_ querySQL: String) -> String {
        "INSERT INTO finding (run_id, key, kind, severity, resource_type, resource_id, credential, endpoint, code, reason, count, seen_by, details, is_new, first_run_id) SELECT :run_id, key, kind, severity, resource_type, resource_id, credential, endpoint, code, reason, count, seen_by, details, 1, :run_id FROM (\(strip(querySQL)))"
    }

    /// Marks findings matched by an active acceptance; an expired one is noted, not applied.
    static func applyAcceptances(_ db: Database, runID: Int64, accept: [Acceptance], on date: Date) throws {
        guard !accept.isEmpty else { return }
        let keys = try String.fetchAll(db, sql: "SELECT key FROM finding WHERE run_id = ?", arguments: [runID])
        for key in keys {
            let matching = accept.filter { $0.matches(key) }
            if let active = matching.first(where: { $0.isActive(on: date) }) {
                try db.execute(sql: "UPDATE finding SET accepted_reason = ?, accepted_expires = ? WHERE run_id = ? AND key = ?",
                               arguments: [active.reason, active.expires, runID, key])
            } else if let expired = matching.first {
                try db.execute(sql: "UPDATE finding SET acceptance_expired = ? WHERE run_id = ? AND key = ?",
                               arguments: [expired.expires, runID, key])
            }
        }
    }

    /// The run `new` is measured against: the latest complete run started before this one.
    public static func previousCompleteRun(_ db: Database, before runID: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM run WHERE status = 'complete' AND id < ?", arguments: [runID])
    }

    /// The query files end with `ORDER BY …;` for people; as a sub-select the semicolon must go.
    static func strip(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text.removeLast() }
        return text
    }
}
