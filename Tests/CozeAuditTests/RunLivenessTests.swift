@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing
import CozeTestSupport

/// Runs that stopped (issue 15 item 4): a `running` run whose process no longer holds the lock is
/// shown `failed` (interrupted) at read time; a run stopped by a signal is stored `failed`.
@Suite("Run liveness", .serialized)
struct RunLivenessTests {
    /// A file store with run 1 complete and run 2 left `running`, as after a `kill -9`.
    static func storeWithLeftoverRun(_ folder: TemporaryDirectory) throws -> AuditStore {
        let store = try AuditStore(path: folder.file("audit.sqlite"))
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, started_at, finished_at, status, base_url, pid) VALUES
                  (1, '2025-01-01T03:00:00Z', '2025-01-01T03:01:00Z', 'complete', 'http://sim', 1),
                  (2, '2025-01-02T03:00:00Z', NULL, 'running', 'http://sim', 2147483000);
                """)
        }
        return store
    }

    @Test("no process holds the lock: the running run is shown failed (interrupted) by the report, runs and the history; nothing is written")
    func deadRunShownFailed() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Self.storeWithLeftoverRun(folder)
        #expect(RunLock.isHeld(databasePath: folder.file("audit.sqlite")) == false)
        #expect(try store.interruptedRuns() == [2])

        let report = try ReportBuilder.build(store: store, runID: 2)
        #expect(report.run.status == "failed")
        #expect(report.run.reason == RunLiveness.interruptedReason)
        #expect(try JSONRenderer.render(report).contains("\"status\" : \"failed\""))

        let list = try RunList.load(store: store)
        #expect(list.rows.map { [$0[0], $0[1], $0[3], $0[8]] } == [["1", "complete", "2025-01-01T03:01:00Z", nil],
                                                                  ["2", "failed", nil, RunLiveness.interruptedReason]])
        let text = list.text(missing: "—")
        #expect(!text.contains("NULL") && !text.contains("running"), "\(text)")
        #expect(text.split(separator: "\n")[3].contains("2025-01-02T03:00:00Z  —"), "\(text)")
        #expect(try RunHistory.load(store: store).runs.map { "\($0.id) \($0.status)" } == ["1 complete", "2 failed"])

        // Read-only through ReadOnlyStore too (what `runs`, `report` and `diff` open).
        let reader = try ReadOnlyStore.open(path: folder.file("audit.sqlite"))
        #expect(try ReportBuilder.build(store: reader, runID: 2).run.status == "failed")
        #expect(try reader.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = 2") } == "running")
    }

    @Test("the store's run intents: typed rows (status an enum), as stored; shown(interrupted:) is what reports show")
    func runIntents() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Self.storeWithLeftoverRun(folder)
        let runs = try store.runs()
        #expect(runs.map(\.id) == [1, 2])
        #expect(runs.map(\.status) == [.complete, .running])
        #expect(runs[1].pid == 2147483000 && runs[1].finishedAt == nil && runs[0].baseURL == "http://sim")
        #expect(try store.run(id: 2) == runs[1])
        #expect(try store.run(id: 3) == nil)
        #expect(try store.latestRunID() == 2)
        let shown = try #require(try store.run(id: 2)).shown(interrupted: true)
        #expect(shown.status == .failed && shown.reason == RunLiveness.interruptedReason)
        #expect(runs[0].shown(interrupted: true) == runs[0], "only a running run can be interrupted")
        // The enum and the schema agree: a status the enum does not know cannot be stored.
        #expect(throws: DatabaseError.self) {
            try store.write { db in try db.execute(sql: "UPDATE run SET status = 'paused' WHERE id = 1") }
        }
        #expect(Set(RunStatus.allCases.map(\.rawValue)) == ["running", "complete", "partial", "failed"])
    }

    @Test("while a process holds the lock the latest running run is live; an older leftover is interrupted; a writer is not blocked by the probe")
    func liveRunShownRunning() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("audit.sqlite")
        let store = try Self.storeWithLeftoverRun(folder)
        do {
            let lock = try RunLock(databasePath: path)
            #expect(RunLock.isHeld(databasePath: path) == true)
            #expect(try store.interruptedRuns() == [])
            #expect(try ReportBuilder.build(store: store, runID: 2).run.status == "running")
            try store.write { db in
                try db.execute(sql: "INSERT INTO run (id, started_at, status, base_url) VALUES (3, '2025-01-03T03:00:00Z', 'running', 'http://sim')")
            }
            #expect(try store.interruptedRuns() == [2])
            withExtendedLifetime(lock) {}
        }
        // Released: both are interrupted; probing leaves the lock free for the next writer.
        #expect(try store.interruptedRuns() == [2, 3])
        #expect(RunLock.isHeld(databasePath: path) == false)
        let next = try RunLock(databasePath: path)
        withExtendedLifetime(next) {}
        // The next run stores them failed (begin, under the lock).
        _ = try RunRecorder.begin(store: store, baseURL: "http://sim", startedAt: Date())
        #expect(try store.read { try String.fetchAll($0, sql: "SELECT status || ' ' || COALESCE(reason, '') FROM run WHERE id IN (2, 3)") }
            == ["failed \(RunLiveness.interruptedReason)", "failed \(RunLiveness.interruptedReason)"])
    }

    @Test("a run stopped while a request is in flight is stored failed with the signal, without findings, and its lock is released")
    func stoppedRun() async throws {
        try await RunFixture.with { fixture in
            try await fixture.run()
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "enterprise-pat", kind: .hold))
            var runner = try fixture.runner()
            let stop = RunStop()
            runner.stop = stop
            let task = Task { [runner] in try await runner.run() }
            await fixture.simulator.waitForHeldRequests(count: 1)
            stop.record(signal: "SIGTERM")
            stop.record(signal: "SIGINT")
            task.cancel()
            let result = try await task.value
            #expect(result.terminated)
            #expect(result.status == .failed)
            #expect(result.reason == "terminated by signal SIGTERM before the run finished")
            #expect(try fixture.table("SELECT status, reason, finished_at IS NOT NULL FROM run WHERE id = 2")
                == [["failed", "terminated by signal SIGTERM before the run finished", "1"]])
            #expect(try fixture.table("SELECT count(*) FROM finding WHERE run_id = 2") == [["0"]])
            // What it stored before the signal stays.
            #expect(try fixture.table("SELECT count(*) > 0 FROM listing WHERE run_id = 2") == [["1"]])
            let lock = try RunLock(databasePath: fixture.databasePath)
            withExtendedLifetime(lock) {}
        }
    }
}
