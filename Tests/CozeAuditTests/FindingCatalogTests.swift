import AuditQueries
@testable import CozeAudit
import Foundation
import GRDB
import Testing
import CozeTestSupport

/// A finding kind is defined once (``FindingKind/definition`` and `queries/<kind>.sql`); these
/// tests hold the registry, the query files on disk and the store's schema together, so a kind
/// added, renamed or given a new severity in one place and not the other fails here.
@Suite("finding kind registry")
struct FindingCatalogTests {
    static let queriesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("queries")

    /// The named queries that are not finding kinds.
    static let otherQueries: Set<String> = ["credential_history"]

    static func sqlFiles() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: queriesFolder.path).filter { $0.hasSuffix(".sql") }
        return try Dictionary(uniqueKeysWithValues: names.map {
            (String($0.dropLast(4)), try String(contentsOf: queriesFolder.appendingPathComponent($0), encoding: .utf8))
        })
    }

    /// The literal values a query file gives `column`: `'x' AS column`, or the THEN/ELSE branches
    /// of a `CASE … END AS column` on that line (stale_pat: `CASE … THEN 'medium' ELSE 'low' END`).
    static func literals(_ column: String, in sql: String) -> Set<String> {
        func matches(_ pattern: String, _ text: String) -> [String] {
            let regex = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
                .map { String(text[Range($0.range(at: 1), in: text)!]) }
        }
        var values = Set(matches("'([a-z_]+)'\\s+AS\\s+\(column)\\b", sql))
        for line in sql.split(separator: "\n").map(String.init) where line.range(of: "END AS \(column)") != nil {
            values.formUnion(matches("(?:THEN|ELSE)\\s+'([a-z_]+)'", line))
        }
        return values
    }

    @Test("queries/*.sql holds exactly one file per kind (plus credential_history), and the binary embeds the same text")
    func filesMatchKinds() throws {
        let files = try Self.sqlFiles()
        #expect(Set(files.keys).subtracting(Self.otherQueries) == Set(FindingKind.allCases.map(\.rawValue)))
        for kind in FindingKind.allCases {
            #expect(kind.definition.sql == files[kind.rawValue], "\(kind.rawValue): the embedded SQL is not the file's")
        }
        #expect(AuditQueries.findingQueries.map(\.name) == FindingKind.allCases.map(\.rawValue))
        #expect(Set(AuditQueries.all.map(\.name)) == Set(files.keys))
    }

    @Test("each query names its own kind, and computes exactly the severities its definition declares")
    func kindAndSeverityLiterals() throws {
        let files = try Self.sqlFiles()
        for kind in FindingKind.allCases {
            let sql = try #require(files[kind.rawValue])
            #expect(Self.literals("kind", in: sql) == [kind.rawValue], "\(kind.rawValue).sql")
            let severities = Self.literals("severity", in: sql)
            #expect(!severities.isEmpty, "\(kind.rawValue).sql has no literal severity")
            #expect(severities == Set(kind.definition.severities.map(\.rawValue)), "\(kind.rawValue): SQL \(severities.sorted())")
            #expect(kind.definition.severities == kind.definition.severities.sorted(by: >), "\(kind.rawValue): highest first")
        }
    }

    @Test("each query's columns are the ones the findings engine stores, and the finding table has them")
    func queryColumnsMatchSchema() throws {
        let store = try AuditStore()
        let stored = ["key", "kind", "severity", "resource_type", "resource_id", "credential", "endpoint", "code", "reason",
                      "count", "seen_by", "details"]
        #expect(FindingsEngine.insertSQL("SELECT 1").contains("SELECT :run_id, " + stored.joined(separator: ", ") + ", 1, :run_id"))
        try store.read { db in
            let table = try db.columns(in: "finding").map(\.name)
            #expect(Set(stored).isSubset(of: Set(table)))
            for kind in FindingKind.allCases {
                let statement = try db.makeStatement(sql: "SELECT * FROM (\(FindingsEngine.strip(kind.definition.sql))) LIMIT 0")
                #expect(Set(statement.columnNames) == Set(stored), "\(kind.rawValue).sql columns \(statement.columnNames)")
            }
        }
    }

    @Test("kind_dependency holds ResourceKind.listingsNeeded, and a store with stale rows is brought up to date on open")
    func kindDependencyFromCode() throws {
        let wanted = Set(ResourceKind.allCases.flatMap { kind in kind.listingsNeeded.map { "\(kind.rawValue)<-\($0)" } })
        func rows(_ store: AuditStore) throws -> Set<String> {
            try store.read { db in
                Set(try Row.fetchAll(db, sql: "SELECT kind, depends_on FROM kind_dependency").map { "\($0[0] as String)<-\($0[1] as String)" })
            }
        }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("audit.sqlite")
        do {
            let store = try AuditStore(path: path)
            #expect(try rows(store) == wanted)
            try store.write { db in
                try db.execute(sql: "DELETE FROM kind_dependency WHERE kind = 'conversation' AND depends_on = 'bot'")
                try db.execute(sql: "INSERT INTO kind_dependency VALUES ('voice', 'bot')")
            }
        }
        #expect(try rows(try AuditStore(path: path)) == wanted)
    }

    @Test("every kind has a title, a remedy, columns and a line; severities are ordered info < low < medium < high")
    func definitionsComplete() {
        for kind in FindingKind.allCases {
            let definition = kind.definition
            #expect(!definition.title.isEmpty && !definition.remedy.isEmpty && !definition.columns.isEmpty, "\(kind.rawValue)")
        }
        #expect(FindingSeverity.allCases.sorted() == [.info, .low, .medium, .high])
        // A kind's configured-alone flag is what a failed run still computes.
        #expect(FindingsEngine.configDerivedKinds == ["obo_cannot_use_grant", "pat_in_production"])
    }
}
