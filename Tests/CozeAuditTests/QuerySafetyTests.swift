@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// `query --sql` cannot write, attach, load code or export the database, whatever the spelling.
@Suite("Query safety")
struct QuerySafetyTests {
    @Test("statements that would write a file, load an extension or lift the read-only guard are refused or fail, and write nothing",
          arguments: [
              "VACUUM INTO '/tmp/coze-audit-query-safety.sqlite'",
              "vacuum main into '/tmp/coze-audit-query-safety.sqlite'",
              "SELECT load_extension('/tmp/coze-audit-query-safety.so')",
              "PRAGMA journal_mode = DELETE",
              "SELECT * FROM pragma_table_info('run'); ATTACH 'x' AS y",
              "/* */ attach database '/tmp/coze-audit-query-safety.sqlite' as evil",
          ])
    func refused(sql: String) throws {
        let target = "/tmp/coze-audit-query-safety.sqlite"
        try? FileManager.default.removeItem(atPath: target)
        try QueryRunnerTests.withReadOnlyStore { store, path throws in
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self, "\(sql)") { try QueryRunner.run(store: store, sql: sql, arguments: [:]) }
            #expect(!FileManager.default.fileExists(atPath: target))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try store.read { try String.fetchAll($0, sql: "SELECT status FROM run ORDER BY id") } == ["complete", "partial"])
        }
    }

    @Test("pragmas that only change the connection run harmlessly: the connection is opened read-only and runs one statement",
          arguments: ["PRAGMA query_only = 0", "PRAGMA writable_schema = 1"])
    func connectionPragmas(sql: String) throws {
        try QueryRunnerTests.withReadOnlyStore { store, path throws in
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = try? QueryRunner.run(store: store, sql: sql, arguments: [:])
            #expect(throws: (any Error).self) { try QueryRunner.run(store: store, sql: "DELETE FROM run", arguments: [:]) }
            #expect(throws: (any Error).self) { try store.write { try $0.execute(sql: "DELETE FROM run") } }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 2)
        }
    }
}
