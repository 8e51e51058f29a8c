import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// Storage under stress (issue: crash safety): WAL, one writer, a full disk and a read-only file
/// end in one clear line and never damage earlier runs. The kill -9 case is in CLITests
/// (`CrashTests`), because it needs a separate process.
@Suite("Crash safety")
struct CrashSafetyTests {
    /// Everything stored about run 1, to compare before and after.
    func snapshot(_ fixture: RunFixture) throws -> [[String?]] {
        try fixture.table("SELECT id, status, started_at, finished_at, reason FROM run WHERE id = 1")
            + fixture.table("SELECT kind, resource_id, credential_id, payload FROM sighting WHERE run_id = 1 ORDER BY 1, 2, 3")
            + fixture.table("SELECT endpoint, params, status, code FROM listing WHERE run_id = 1 ORDER BY 1, 2")
            + fixture.table("SELECT key, kind, reason, seen_by FROM finding WHERE run_id = 1 ORDER BY key")
    }

    func integrity(_ fixture: RunFixture) throws -> [[String?]] {
        try fixture.table("PRAGMA integrity_check")
    }

    @Test("the database is in WAL mode and passes integrity_check after a run")
    func walMode() async throws {
        try await RunFixture.with { fixture in
            try await fixture.run()
            #expect(try fixture.table("PRAGMA journal_mode") == [["wal"]])
            #expect(try integrity(fixture) == [["ok"]])
        }
    }

    @Test("a full disk mid-run fails the run with one line naming the file; earlier runs are intact")
    func diskFull() async throws {
        try await RunFixture.with { fixture in
            let first = try await fixture.run()
            #expect(first.status == .complete)
            let before = try snapshot(fixture)
            let pages = try #require(Int((try fixture.table("PRAGMA page_count").first?.first ?? nil) ?? ""))
            // Room for one more page: the run starts, and the disk fills while its pages are written.
            var runner = try fixture.runner()
            runner.openStore = { path in
                try AuditStore(path: path) { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + 1)") }
            }
            let error = await #expect(throws: StoreError.self) { try await runner.run() }
            let message = error?.description ?? ""
            #expect(message == "cannot write database \(fixture.databasePath): the disk is full (SQLITE_FULL)")
            #expect(!message.contains("\n"))

            #expect(try snapshot(fixture) == before)
            #expect(try integrity(fixture) == [["ok"]])
            #expect(try fixture.table("SELECT id, status, reason FROM run ORDER BY id") == [
                ["1", "complete", nil], ["2", "failed", "failed: the disk is full (SQLITE_FULL)"],
            ])
            // With room again, the next run completes.
            let third = try await fixture.run()
            #expect(third.status == .complete)
            #expect(try snapshot(fixture) == before)
        }
    }

    @Test("a database that cannot be written is one clear line, and nothing in it changes")
    func readOnlyDatabase() async throws {
        try await RunFixture.with { fixture in
            try await fixture.run()
            let before = try snapshot(fixture)
            let runs = try fixture.table("SELECT id, status FROM run")
            // Tests run as root, which ignores file modes: `query_only` makes SQLite refuse writes the same way.
            var runner = try fixture.runner()
            runner.openStore = { path in
                try AuditStore(path: path) { db in try db.execute(sql: "PRAGMA query_only = 1") }
            }
            let error = await #expect(throws: StoreError.self) { try await runner.run() }
            let message = error?.description ?? ""
            #expect(message.hasPrefix("cannot ") && message.hasSuffix("the database file is read-only (SQLITE_READONLY)"), "\(message)")
            #expect(!message.contains("\n"))
            #expect(try fixture.table("SELECT id, status FROM run") == runs)
            #expect(try snapshot(fixture) == before)
        }
    }

    @Test("while one run holds the database, a second one fails at once with the lock error and writes nothing")
    func secondWriterRefused() async throws {
        try await RunFixture.with { fixture in
            try await fixture.run()
            let held = try RunLock(databasePath: fixture.databasePath)
            let error = await #expect(throws: StoreError.self) { try await fixture.run() }
            #expect(error?.description == "another coze-audit run is using \(fixture.databasePath); try again when it has finished")
            #expect(try fixture.table("SELECT count(*) FROM run") == [["1"]])
            withExtendedLifetime(held) {}
        }
    }
}
