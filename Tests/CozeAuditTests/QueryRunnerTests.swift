import AuditQueries
@testable import CozeAudit
import Foundation
import GRDB
import Testing
import CozeTestSupport

/// `coze-audit query`: read-only SQL over a database file written by a real store.
@Suite("Query runner")
struct QueryRunnerTests {
    /// Migrates a database file on disk, writes two runs, and reopens it read-only.
    static func withReadOnlyStore(_ body: (AuditStore, String) throws -> Void) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("db/audit.sqlite")
        do {
            let writer = try AuditStore(path: path)
            try writer.write { db in
                try db.execute(sql: """
                    INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
                      (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
                      (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'partial', 'http://sim');
                    INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1);
                    INSERT INTO resource (kind, id, name, parent_id, first_run_id, last_run_id) VALUES
                      ('bot', 'b1', 'plain', 'w1', 1, 2),
                      ('bot', 'b2', 'a,b', 'w1', 1, 2),
                      ('bot', 'b3', 'say "hi"', 'w1', 1, 2),
                      ('bot', 'b4', 'line1' || char(13) || char(10) || 'line2', 'w1', 1, 2),
                      ('bot', 'b5', 'lf' || char(10) || 'only', NULL, 1, 2);
                    """)
            }
        }
        let store = try ReadOnlyStore.open(path: path)
        try body(store, path)
    }

    func refusal(_ store: AuditStore, _ sql: String) -> String? {
        let error = #expect(throws: QueryError.self, "\(sql)") {
            try QueryRunner.run(store: store, sql: sql, arguments: [:])
        }
        guard case .refused(let why)? = error else { return nil }
        return why
    }

    @Test("a SELECT runs on the read-only store, :run_id defaulting to the latest run")
    func selectWithDefaultRunID() throws {
        try Self.withReadOnlyStore { store, _ throws in
            let latest = try QueryRunner.run(store: store, sql: "SELECT id, status FROM run WHERE id = :run_id ORDER BY id", arguments: [:])
            #expect(latest == QueryResult(columns: ["id", "status"], rows: [["2", "partial"]]))
            let first = try QueryRunner.run(store: store, sql: "SELECT id, status FROM run WHERE id = :run_id", arguments: ["run_id": "1"])
            #expect(first == QueryResult(columns: ["id", "status"], rows: [["1", "complete"]]))
            let named = try QueryRunner.run(store: store, sql: "SELECT count(*) AS n, :label AS label FROM resource WHERE parent_id IS NULL",
                                            arguments: ["label": "x"])
            #expect(named == QueryResult(columns: ["n", "label"], rows: [["1", "x"]]))
        }
    }

    @Test("an apostrophe in a comment does not hide :run_id")
    func apostropheInComment() throws {
        try Self.withReadOnlyStore { store, _ throws in
            let result = try QueryRunner.run(store: store, sql: """
                -- the run's status
                SELECT id, status FROM run WHERE id = :run_id AND status <> 'failed'
                """, arguments: [:])
            #expect(result.rows == [["2", "partial"]])
        }
    }

    @Test("a missing parameter other than :run_id is refused")
    func missingParameter() throws {
        try Self.withReadOnlyStore { store, _ throws in
            #expect(refusal(store, "SELECT * FROM run WHERE status = :status") == "missing parameter :status (pass --param status=VALUE)")
        }
    }

    @Test("every named finding query runs on the read-only store")
    func namedQueries() throws {
        try Self.withReadOnlyStore { store, _ throws in
            for (name, sql) in AuditQueries.findingQueries {
                let result = try QueryRunner.run(store: store, sql: sql, arguments: [:])
                #expect(result.columns == findingColumns, "\(name)")
                #expect(result.rows.isEmpty, "\(name)")
            }
            // The one named query that is not a finding: per-credential history.
            let history = try QueryRunner.run(store: store, sql: AuditQueries.credentialHistory, arguments: [:])
            #expect(history.columns.first == "credential")
            #expect(AuditQueries.all.count == AuditQueries.findingQueries.count + 1)
        }
    }

    @Test("writes are refused and change nothing", arguments: [
        "INSERT INTO run (started_at, status, base_url) VALUES ('x', 'running', 'y')",
        "UPDATE run SET status = 'failed'",
        "DELETE FROM run",
        "CREATE TABLE evil (x)",
        "DROP TABLE run",
        "  insert into credential (name, first_run_id) values ('x', 1)",
        "WITH x AS (SELECT 1) DELETE FROM run",
        "REPLACE INTO credential (id, name, first_run_id) VALUES (1, 'x', 1)",
        "PRAGMA user_version = 7",
    ])
    func writesRefused(sql: String) throws {
        try Self.withReadOnlyStore { store, _ throws in
            _ = refusal(store, sql)
            #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 2)
            #expect(try store.read { try String.fetchAll($0, sql: "SELECT status FROM run ORDER BY id") } == ["complete", "partial"])
            #expect(try store.read { try String.fetchAll($0, sql: "SELECT name FROM credential") } == ["personal-pat"])
        }
    }

    @Test("ATTACH and DETACH are refused", arguments: [
        "ATTACH DATABASE ':memory:' AS other",
        "attach ':memory:' as other",
        "DETACH DATABASE main",
        "VACUUM",
    ])
    func attachRefused(sql: String) throws {
        try Self.withReadOnlyStore { store, _ throws in
            let why = refusal(store, sql)
            #expect(why?.hasSuffix("is not allowed: query reads this database only") == true)
        }
    }

    @Test("ATTACH after a leading comment is refused too", arguments: [
        "-- read another file\nATTACH DATABASE ':memory:' AS other",
        "/* x */ ATTACH DATABASE ':memory:' AS other",
    ])
    func attachAfterCommentRefused(sql: String) throws {
        try Self.withReadOnlyStore { store, _ throws in
            _ = refusal(store, sql)
        }
    }

    @Test("two statements are refused, even when the first is a SELECT", arguments: [
        "SELECT 1; SELECT 2",
        "SELECT 1; DELETE FROM run",
        "SELECT 1;\nDROP TABLE run;",
    ])
    func twoStatementsRefused(sql: String) throws {
        try Self.withReadOnlyStore { store, _ throws in
            #expect(refusal(store, sql) == "one statement at a time")
            #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 2)
        }
    }

    @Test("one statement with a trailing semicolon is fine")
    func trailingSemicolon() throws {
        try Self.withReadOnlyStore { store, _ throws in
            let result = try QueryRunner.run(store: store, sql: "SELECT count(*) AS n FROM run;\n", arguments: [:])
            #expect(result.rows == [["2"]])
        }
    }

    @Test("CSV quotes commas, quotes, CR and LF per RFC 4180 and ends rows with CRLF")
    func csvQuoting() throws {
        try Self.withReadOnlyStore { store, _ throws in
            let result = try QueryRunner.run(store: store, sql: "SELECT id, name, parent_id FROM resource ORDER BY id", arguments: [:])
            #expect(result.csv() == "id,name,parent_id\r\n"
                + "b1,plain,w1\r\n"
                + "b2,\"a,b\",w1\r\n"
                + "b3,\"say \"\"hi\"\"\",w1\r\n"
                + "b4,\"line1\r\nline2\",w1\r\n"
                + "b5,\"lf\nonly\",\r\n")
        }
    }

    @Test("CSV quotes a field that is only a CRLF pair")
    func csvBareCRLF() {
        let result = QueryResult(columns: ["a", "b"], rows: [["\r\n", "x"], ["\r", nil]])
        #expect(result.csv() == "a,b\r\n\"\r\n\",x\r\n\"\r\",\r\n")
    }

    @Test("a database file that does not exist is a clear error, not a new file")
    func missingDatabase() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("absent.sqlite")
        let error = #expect(throws: StoreError.self) { try ReadOnlyStore.open(path: path) }
        #expect(error?.description == "no database at \(path) (run `coze-audit run` first)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
