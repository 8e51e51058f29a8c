import AuditQueries
import Foundation
import GRDB

/// Runs one user-supplied or named SQL statement on a read-only connection and returns its rows
/// as text. Writes, ATTACH/DETACH and multiple statements are refused before anything runs.
public enum QueryRunner {
    public static func run(store: AuditStore, sql: String, arguments: [String: String]) throws -> QueryResult {
        let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        // SQLite counts ATTACH and DETACH as read-only statements; refuse them wherever they stand.
        if let word = ["ATTACH", "DETACH", "VACUUM"].first(where: SQLText.keywords(trimmed).contains) {
            throw QueryError.refused("\(word) is not allowed: query reads this database only")
        }
        return try store.read { db in
            let statements = try db.allStatements(sql: trimmed)
            guard let statement = try statements.next() else { throw QueryError.refused("empty SQL") }
            if try statements.next() != nil { throw QueryError.refused("one statement at a time") }
            guard statement.isReadonly else { throw QueryError.refused("the statement would write; query is read-only") }
            var values: [String: (any DatabaseValueConvertible)?] = [:]
            for name in parameterNames(trimmed) {
                if let text = arguments[name] {
                    values[name] = Int64(text).map { $0 as any DatabaseValueConvertible } ?? text
                } else if let value = AuditQueries.defaultParameters[name] {
                    values[name] = value
                } else if name == "run_id" {
                    values[name] = try AuditStore.latestRunID(db)
                } else {
                    throw QueryError.refused("missing parameter :\(name) (pass --param \(name)=VALUE)")
                }
            }
            if !values.isEmpty { try statement.setArguments(StatementArguments(values)) }
            let rows = try Row.fetchAll(statement)
            let columns = statement.columnNames
            return QueryResult(columns: columns, rows: rows.map { row in
                columns.indices.map { index in
                    let value = row[index] as DatabaseValue
                    switch value.storage {
                    case .null: return nil
                    case .int64(let i): return String(i)
                    case .double(let d): return String(d)
                    case .string(let s): return s
                    case .blob(let b): return "<\(b.count) bytes>"
                    }
                }
            })
        }
    }

    /// The `:name` parameters of a statement, in order of first appearance.
    static func parameterNames(_ sql: String) -> [String] {
        var names: [String] = []
        let code = SQLText.code(sql)
        let pattern = try! NSRegularExpression(pattern: #"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)"#)
        for match in pattern.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
            let name = String(code[Range(match.range(at: 1), in: code)!])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

public enum QueryError: Error, CustomStringConvertible {
    case refused(String)
    public var description: String {
        switch self {
        case .refused(let why): "query refused: \(why)"
        }
    }
}
