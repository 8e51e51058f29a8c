@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// The run lifecycle and the single-writer lock (spec §5).
@Suite("Store")
struct StoreTests {
    @Test("RunRecorder.begin marks a run left 'running' by a killed process as failed, and starts a new running run")
    func beginMarksLeftoverRunFailed() throws {
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, finished_at, status, base_url, reason) VALUES
              (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim', NULL),
              (2, '2025-03-02T08:00:00Z', NULL, 'running', 'http://sim', NULL);
            """)
        let recorder = try RunRecorder.begin(store: db.store, baseURL: "http://new", startedAt: Date(timeIntervalSince1970: 1_741_000_000))
        #expect(recorder.runID == 3)
        #expect(try db.table("SELECT id, started_at, finished_at, status, base_url, reason FROM run ORDER BY id") == [
            ["1", "2025-03-01T08:00:00Z", "2025-03-01T08:05:00Z", "complete", "http://sim", nil],
            ["2", "2025-03-02T08:00:00Z", "2025-03-02T08:00:00Z", "failed", "http://sim",
             "interrupted: the process stopped before the run finished (killed or crashed)"],
            ["3", "2025-03-03T11:06:40Z", nil, "running", "http://new", nil],
        ])
    }

    @Test("a recorded run can be finished, and its credentials are identified by name across runs")
    func recorderLifecycle() async throws {
        let db = try SeededStore()
        let first = try RunRecorder.begin(store: db.store, baseURL: "http://sim", startedAt: Date(timeIntervalSince1970: 0))
        let id = try first.addCredential(name: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:111111111111")
        try await first.recordPage(credentialID: id, items: [
            ObservedResource(kind: .voice, id: "v1", name: "Voice", parentID: nil, payload: #"{"voice_id":"v1"}"#),
        ])
        try await first.setCredentialStatus(id, status: "ok", userID: "u1")
        try first.finish(status: .complete, reason: nil, finishedAt: Date(timeIntervalSince1970: 60))
        let second = try RunRecorder.begin(store: db.store, baseURL: "http://sim", startedAt: Date(timeIntervalSince1970: 120))
        let again = try second.addCredential(name: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:999999999999")
        #expect(again == id)
        #expect(try db.table("SELECT id, started_at, finished_at, status FROM run ORDER BY id") == [
            ["1", "1970-01-01T00:00:00Z", "1970-01-01T00:01:00Z", "complete"],
            ["2", "1970-01-01T00:02:00Z", nil, "running"],
        ])
        #expect(try db.table("SELECT run_id, credential_id, fingerprint, status, user_id FROM run_credential ORDER BY run_id") == [
            ["1", "1", "sha256:111111111111", "ok", "u1"],
            ["2", "1", "sha256:999999999999", "pending", nil],
        ])
    }

    @Test("a second RunLock on the same database throws StoreError.locked; it is free again once released")
    func runLock() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = folder.file("audit.sqlite")
        var first: RunLock? = try RunLock(databasePath: database)
        #expect(first?.path == database + ".lock")
        let error = #expect(throws: StoreError.self) { try RunLock(databasePath: database) }
        guard case .locked(let path)? = error else {
            Issue.record("expected StoreError.locked, got \(String(describing: error))")
            return
        }
        #expect(path == database)
        #expect(error?.description == "another coze-audit run is using \(database); try again when it has finished")
        first = nil
        _ = first
        let third = try RunLock(databasePath: database)
        #expect(third.path == database + ".lock")
    }

    @Test("a file database is created, migrated and reopened with its rows")
    func fileDatabaseMigrates() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("nested/dir/audit.sqlite")
        do {
            let store = try AuditStore(path: path)
            _ = try RunRecorder.begin(store: store, baseURL: "http://sim", startedAt: Date(timeIntervalSince1970: 0))
        }
        let reopened = try AuditStore(path: path)
        let tables = try reopened.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'grdb%' ORDER BY name")
        }
        #expect(tables == ["blind_spot", "credential", "finding", "kind_dependency", "listing", "request_failure", "resource",
                           "run", "run_credential", "sighting", "sighting_by_side"])
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 1)
    }
}
