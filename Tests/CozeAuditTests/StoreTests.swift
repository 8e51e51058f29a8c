@testable import CozeAudit
import Foundation
import GRDB
import Testing
import CozeTestSupport

/// The run lifecycle and the single-writer lock (docs/product.md §5).
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
        #expect(tables == ["blind_spot", "credential", "doctor_observation", "finding", "kind_dependency", "learned_behaviour", "listing", "notify_pending",
                           "request_failure", "resource", "run", "run_credential", "sighting", "sighting_by_side"])
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 1)
    }

    @Test("a v5 database upgrades to v6 in place: run_credential keeps its rows and now accepts 'denied', listing gains note, sighting_by_side still reads")
    func v6UpgradesInPlace() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try Schema.migrator.migrate(queue, upTo: "v5: sightings with the credential's name and side")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
                  (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim');
                INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-app', 1);
                INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, user_id, user_name, detail,
                                            requests, failed_requests) VALUES
                  (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok', 'u1', 'Li Lei', NULL, 5, 1),
                  (1, 2, 'enterprise', 'jwt', 'sha256:222222222222', 'invalid', NULL, NULL, 'access_deny', 1, 1);
                INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
                  (1, 1, 'workspace', 'w1', NULL, '{}');
                INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
                  (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok');
                """)
        }
        // Before v6 the CHECK constraint refuses 'denied'.
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE run_credential SET status = 'denied' WHERE credential_id = 2") }
        }
        try Schema.migrator.migrate(queue, upTo: "v6: evidence rules: listing notes, learned API behaviour, denied credentials")
        let rows: @Sendable (Database) throws -> [[String?]] = { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_credential ORDER BY credential_id").map { $0.databaseValues.map(SeededStore.text) }
        }
        #expect(try queue.read(rows) == [
            ["1", "1", "personal", "pat", "sha256:111111111111", "ok", "u1", "Li Lei", nil, "5", "1"],
            ["1", "2", "enterprise", "jwt", "sha256:222222222222", "invalid", nil, nil, "access_deny", "1", "1"],
        ])
        try queue.write { db in
            try db.execute(sql: """
                UPDATE run_credential SET status = 'denied' WHERE credential_id = 2;
                UPDATE listing SET note = 'total 3 but the listing ended after 1 item(s)' WHERE credential_id = 1;
                """)
        }
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT status FROM run_credential ORDER BY credential_id") } == ["ok", "denied"])
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT note FROM listing") } == ["total 3 but the listing ended after 1 item(s)"])
        #expect(try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT resource_id, credential, side FROM sighting_by_side").map { $0.databaseValues.map(SeededStore.text) }
        } == [["w1", "personal-pat", "personal"]])
        // Any other status is still refused.
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE run_credential SET status = 'maybe' WHERE credential_id = 2") }
        }
    }

    @Test("v8 rebuilds resource and listing for apps and workflows: earlier rows, notes and causes kept; blind_spot still answers")
    func migrationV8KeepsRowsAndAcceptsNewKinds() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v7: failure causes; retention keeps a pruned run's counts")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-03-01T08:00:00Z', 'complete', 'http://sim');
                INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1);
                INSERT INTO resource (kind, id, name, parent_id, first_run_id, last_run_id) VALUES ('bot', 'b1', 'Helper', 'w1', 1, 1);
                INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, pages, items, note, cause)
                  VALUES (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1', 'error', 1, 0, 'a note', 'timed out');
                """)
        }
        // Before v8 the kind checks refuse the new kinds.
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "INSERT INTO resource (kind, id, first_run_id, last_run_id) VALUES ('app', 'a1', 1, 1)") }
        }
        try Schema.migrator.migrate(queue)
        #expect(try queue.read { try Row.fetchAll($0, sql: "SELECT kind, id, name, parent_id FROM resource").map { $0.databaseValues.map(SeededStore.text) } }
                == [["bot", "b1", "Helper", "w1"]])
        #expect(try queue.read { try Row.fetchAll($0, sql: "SELECT endpoint, status, pages, note, cause FROM listing").map { $0.databaseValues.map(SeededStore.text) } }
                == [["GET /v1/bots", "error", "1", "a note", "timed out"]])
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO resource (kind, id, first_run_id, last_run_id) VALUES ('app', 'a1', 1, 1), ('workflow', 'f1', 1, 1);
                INSERT INTO listing (run_id, credential_id, endpoint, kind, params, status) VALUES (1, 1, 'GET /v1/apps', 'app', 'x', 'ok');
                """)
        }
        // The failed bots listing is still a blind spot (the view was dropped and made again).
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT DISTINCT kind FROM blind_spot ORDER BY kind") } == ["bot", "conversation"])
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "INSERT INTO resource (kind, id, first_run_id, last_run_id) VALUES ('dataset', 'd1', 1, 1)") }
        }
    }
}
