import AuditQueries
@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// Every finding query reads the big tables (`sighting`, `listing`, `finding`) through an index:
/// EXPLAIN QUERY PLAN of each query file, as a user runs it and as `FindingsEngine` stores it,
/// has no full scan and no automatic (built-at-query-time) index on them. Timing is left to
/// `coze-audit bench`; the plan is what a test can hold steady.
@Suite("Query plans")
struct QueryPlanTests {
    static let bigTables: Set<String> = ["sighting", "listing", "finding"]

    /// One line of a plan with the details of its ancestors, e.g. "CORRELATED SCALAR SUBQUERY 2".
    struct PlanLine {
        var detail: String
        var ancestors: [String]
    }

    static func plan(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [PlanLine] {
        let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
        var details: [Int: (parent: Int, detail: String)] = [:]
        for row in rows { details[row["id"]] = (row["parent"], row["detail"]) }
        return rows.map { row in
            var ancestors: [String] = []
            var parent: Int = row["parent"]
            while let node = details[parent] {
                ancestors.append(node.detail)
                parent = node.parent
            }
            return PlanLine(detail: row["detail"], ancestors: ancestors)
        }
    }

    /// Names a plan can show for the big tables in `sql` (and in the views it may expand): the
    /// table names and their aliases. An alias also used for something else (a CTE, a view) is
    /// returned in `ambiguous`.
    static func bigTableNames(in sql: String) -> (names: Set<String>, ambiguous: Set<String>) {
        let keywords: Set<String> = ["where", "on", "join", "left", "inner", "cross", "group", "order", "limit", "using", "natural", "as", "union", "select"]
        let pattern = try! NSRegularExpression(pattern: #"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z_0-9]*)(?:\s+(?:AS\s+)?([A-Za-z_][A-Za-z_0-9]*))?"#,
                                               options: [.caseInsensitive])
        var big: Set<String> = bigTables, other: Set<String> = []
        let range = NSRange(sql.startIndex..., in: sql)
        for match in pattern.matches(in: sql, range: range) {
            guard let tableRange = Range(match.range(at: 1), in: sql) else { continue }
            let table = sql[tableRange].lowercased()
            let alias = Range(match.range(at: 2), in: sql).map { sql[$0].lowercased() }.flatMap { keywords.contains($0) ? nil : $0 } ?? table
            if bigTables.contains(table) { big.insert(alias) } else { other.insert(alias) }
        }
        return (big, big.intersection(other))
    }

    /// The plan lines that read a big table without an index, with the reason.
    static func violations(_ lines: [PlanLine], names: Set<String>, ambiguous: Set<String>) -> [String] {
        lines.compactMap { line in
            let words = line.detail.split(separator: " ").map(String.init)
            guard words.count >= 2, names.contains(words[1].lowercased()) else { return nil }
            if words[0] == "SCAN" { return "full scan: \(line.detail)" }
            if line.detail.contains("AUTOMATIC"), !ambiguous.contains(words[1].lowercased()) {
                return "index built at query time: \(line.detail)"
            }
            return nil
        }
    }

    static func check(_ sql: String, _ arguments: StatementArguments, in db: Database) throws -> [String] {
        let views = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'view'").joined(separator: "\n")
        let (names, ambiguous) = bigTableNames(in: sql + "\n" + views)
        let lines = try plan(db, sql, arguments)
        let found = violations(lines, names: names, ambiguous: ambiguous)
        return found.isEmpty ? [] : found + ["plan:"] + lines.map { String(repeating: "  ", count: $0.ancestors.count) + $0.detail }
    }

    static func arguments(for sql: String) -> StatementArguments {
        var values: [String: Int64] = ["run_id": 2]
        for name in QueryRunner.parameterNames(sql) where name != "run_id" {
            values[name] = AuditQueries.defaultParameters[name] ?? 1
        }
        return StatementArguments(values)
    }

    @Test("Every finding query reads sighting, listing and finding through an index", arguments: AuditQueries.findingQueries.map(\.name))
    func findingQueryUsesIndexes(name: String) throws {
        let sql = try #require(AuditQueries.findingQueries.first { $0.name == name }).sql
        let store = try AuditStore(inMemory: ())
        try store.read { db in
            let byHand = try Self.check(FindingsEngine.strip(sql), Self.arguments(for: sql), in: db)
            #expect(byHand.isEmpty, "\(name) as a user runs it:\n\(byHand.joined(separator: "\n"))")
            let stored = try Self.check(FindingsEngine.insertSQL(sql), Self.arguments(for: sql), in: db)
            #expect(stored.isEmpty, "\(name) as FindingsEngine stores it:\n\(stored.joined(separator: "\n"))")
        }
    }

    @Test("Marking findings new and counting them per kind use indexes too")
    func engineAndReportStatements() throws {
        let store = try AuditStore(inMemory: ())
        let statements: [(String, StatementArguments)] = [
            ("""
             UPDATE finding SET
               is_new = NOT EXISTS (SELECT 1 FROM finding p WHERE p.run_id = :previous AND p.key = finding.key),
               first_run_id = COALESCE((SELECT p.first_run_id FROM finding p WHERE p.run_id = :previous AND p.key = finding.key), :run_id)
             WHERE run_id = :run_id
             """, ["previous": 1, "run_id": 2]),
            ("SELECT kind, count(*) AS n FROM finding WHERE run_id = ? GROUP BY kind", [2]),
            ("""
             SELECT kind, resource_type, count(*) AS total, sum(is_new) AS new,
               sum(accepted_reason IS NULL) AS open, sum(is_new AND accepted_reason IS NULL) AS new_open
             FROM finding WHERE run_id = ? GROUP BY kind, resource_type ORDER BY kind, resource_type
             """, [2]),
        ]
        try store.read { db in
            for (sql, arguments) in statements {
                let found = try Self.check(sql, arguments, in: db)
                #expect(found.isEmpty, "\(sql):\n\(found.joined(separator: "\n"))")
            }
            // The per-kind counts come from the covering index, not from the findings' full rows.
            let counts = try Self.plan(db, statements[2].0, statements[2].1).map(\.detail)
            #expect(counts.contains { $0.contains("COVERING INDEX finding_by_kind") }, "\(counts)")
        }
    }

    @Test("The check itself catches full scans: of a table, through an alias, inside a view, to build an index")
    func negativeControls() throws {
        let store = try AuditStore(inMemory: ())
        let results = try store.read { db in
            [
                try Self.check("SELECT count(*) FROM sighting WHERE payload LIKE '%x%'", [], in: db),
                try Self.check("SELECT s.kind FROM sighting s WHERE s.resource_id = ?", ["1"], in: db),
                try Self.check("SELECT count(*) FROM listing l WHERE l.status = 'error'", [], in: db),
                try Self.check("SELECT f.key FROM finding f JOIN sighting s ON s.payload = f.details WHERE f.run_id = ?", [2], in: db),
                // A view is expanded: without a run its listings are scanned.
                try Self.check("SELECT credential_id FROM blind_spot WHERE kind = 'bot'", [], in: db),
                try Self.check("SELECT s.kind FROM sighting s WHERE s.run_id = ? AND s.kind = ?", [2, "bot"], in: db),
            ]
        }
        #expect(results.map { $0.isEmpty } == [false, false, false, false, false, true], "\(results)")
    }
}
