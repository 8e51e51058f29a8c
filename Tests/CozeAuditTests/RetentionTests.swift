@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing
import CozeTestSupport

/// Retention (issue 15 item 7): which runs lose their detail, what every run keeps, and that the
/// space comes back — on a new file (incremental from birth) and on a file created before (one VACUUM).
@Suite("Retention")
struct RetentionTests {
    /// Seven runs a day apart at noon: complete, complete, partial, complete, failed, failed, running.
    static let runs = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-01-01T12:00:00Z', '2025-01-01T12:05:00Z', 'complete', 'http://sim'),
          (2, '2025-01-02T12:00:00Z', '2025-01-02T12:05:00Z', 'complete', 'http://sim'),
          (3, '2025-01-03T12:00:00Z', '2025-01-03T12:05:00Z', 'partial', 'http://sim'),
          (4, '2025-01-04T12:00:00Z', '2025-01-04T12:05:00Z', 'complete', 'http://sim'),
          (5, '2025-01-05T12:00:00Z', '2025-01-05T12:05:00Z', 'failed', 'http://sim'),
          (6, '2025-01-06T12:00:00Z', '2025-01-06T12:05:00Z', 'failed', 'http://sim'),
          (7, '2025-01-07T12:00:00Z', NULL, 'running', 'http://sim');
        """
    static let now = ISO8601DateFormatter().date(from: "2025-01-07T12:00:00Z")!

    static func selected(_ policy: RetentionPolicy, _ extra: String = "") throws -> [Int64] {
        let seeded = try SeededStore(runs + extra)
        return try seeded.store.read { db in try Retention.runsToPrune(db, policy: policy, now: now) }
    }

    @Test("keep_runs counts finished runs; keep_days counts from now; either keeps a run; the latest complete run and a running one are never pruned")
    func selection() throws {
        // The two latest finished runs are 6 and 5; 4 is the latest complete run.
        #expect(try Self.selected(RetentionPolicy(keepRuns: 2)) == [1, 2, 3])
        #expect(try Self.selected(RetentionPolicy(keepRuns: 1)) == [1, 2, 3, 5])
        // Started more than 3 days before now: 1, 2 and 3 (4 is exactly 3 days old, and the latest complete).
        #expect(try Self.selected(RetentionPolicy(keepDays: 3)) == [1, 2, 3])
        #expect(try Self.selected(RetentionPolicy(keepDays: 1)) == [1, 2, 3, 5])
        // Both: kept when either keeps it.
        #expect(try Self.selected(RetentionPolicy(keepRuns: 5, keepDays: 1)) == [1])
        #expect(try Self.selected(RetentionPolicy(keepRuns: 1, keepDays: 5)) == [1])
        // A run already pruned is not pruned again; no rule keeps everything.
        #expect(try Self.selected(RetentionPolicy(keepRuns: 2), "UPDATE run SET pruned_at = '2025-01-06T00:00:00Z' WHERE id = 2;") == [1, 3])
        #expect(try Self.selected(RetentionPolicy()) == [])
    }

    @Test("prune keeps each run's row, findings, credential history and counts; deletes sightings, listings and failures; diff and trends work on what is kept")
    func keepsSummary() async throws {
        try await RunFixture.with { fixture in
            for _ in 1...3 { try await fixture.run() }
            // A stored failure in run 1 (a retried 502) to see request_failure go too.
            let store = try AuditStore(path: fixture.databasePath)
            try await store.write { db in
                try db.execute(sql: "INSERT INTO request_failure (run_id, credential_id, endpoint, http_status) VALUES (1, 1, 'GET /v1/bots', 502)")
            }
            let failures = try fixture.table("SELECT count(*) FROM request_failure WHERE run_id < 3")
            let findings = "SELECT run_id, key, is_new, first_run_id FROM finding ORDER BY run_id, key"
            let credentials = "SELECT * FROM run_credential ORDER BY run_id, credential_id"
            let runRows = "SELECT id, status, started_at, finished_at, reason FROM run ORDER BY id"
            let before = (try fixture.table(findings), try fixture.table(credentials), try fixture.table(runRows))
            let report1 = try ReportBuilder.build(store: store, runID: 1)
            let history = try RunHistory.load(store: store)
            let diffBefore = try RunDiff.compute(store: store, from: 1, to: 3)
            #expect(report1.inventory.conversation > 0)

            let result = try Retention.prune(store: store, policy: RetentionPolicy(keepRuns: 1), now: Date(timeIntervalSince1970: 1_764_100_000))
            #expect(result.prunedRuns == [1, 2])
            #expect(result.deletedSightings > 0 && result.deletedListings > 0)
            #expect([[String(result.deletedFailures)]] == failures)
            #expect(!result.vacuumed, "a new file is incremental from the start")
            #expect(result.bytesAfter < result.bytesBefore, "\(result.bytesBefore) → \(result.bytesAfter)")

            #expect(try fixture.table(findings) == before.0)
            // run_credential gained the per-credential counts (`sees`) and nothing else changed.
            #expect(try fixture.table(credentials).map { Array($0.dropLast()) } == before.1.map { Array($0.dropLast()) })
            #expect(try fixture.table(runRows) == before.2)
            #expect(try fixture.table("SELECT DISTINCT run_id FROM sighting UNION SELECT DISTINCT run_id FROM listing UNION SELECT DISTINCT run_id FROM request_failure")
                == [["3"]])
            #expect(try fixture.table("SELECT id, pruned_at IS NOT NULL FROM run ORDER BY id") == [["1", "1"], ["2", "1"], ["3", "0"]])

            // The report of a pruned run: the same counts and findings, and it says it was pruned.
            let pruned = try ReportBuilder.build(store: store, runID: 1)
            #expect(pruned.inventory == report1.inventory)
            #expect(pruned.credentials.map(\.sees) == report1.credentials.map(\.sees))
            #expect(pruned.findings.map(\.key) == report1.findings.map(\.key))
            #expect(pruned.run.detailPrunedAt == Timestamp.format(Date(timeIntervalSince1970: 1_764_100_000)))
            #expect(TextRenderer.render(pruned).contains("  detail pruned "))
            #expect(try HTMLRenderer.render(pruned).contains("Resource detail pruned "))
            // Trends read findings and credential rows only: unchanged.
            let historyAfter = try RunHistory.load(store: store)
            #expect(historyAfter.runs.map(\.id) == history.runs.map(\.id))
            #expect(historyAfter.runs.map(\.findingsByKind) == history.runs.map(\.findingsByKind))
            // diff: findings compared as before; resources not, and it says why.
            let diff = try RunDiff.compute(store: store, from: 1, to: 3)
            #expect(diff.findingsAppeared == diffBefore.findingsAppeared && diff.findingsResolved == diffBefore.findingsResolved)
            #expect(diff.resourcesAppeared.isEmpty && diff.resourcesDisappeared.isEmpty)
            #expect(diff.resourcesNotCompared?.hasPrefix("the resource detail of run 1 on ") == true, "\(diff.resourcesNotCompared ?? "nil")")
            #expect(try RunDiff.compute(store: store, from: 3, to: 3).resourcesNotCompared == nil)

            // Pruning again with the same rule finds nothing to do.
            #expect(try Retention.prune(store: store, policy: RetentionPolicy(keepRuns: 1)).prunedRuns == [])
        }
    }

    @Test("a new database file is created with auto_vacuum INCREMENTAL in WAL mode")
    func newFileIncremental() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try AuditStore(path: folder.file("new.sqlite"))
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a file created before retention (auto_vacuum NONE) is converted by one VACUUM at its first prune; later prunes are incremental")
    func convertsOldFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("old.sqlite")
        do {
            // As earlier releases created it: WAL, the migrations, no auto_vacuum.
            let pool = try DatabasePool(path: path)
            try Schema.migrator.migrate(pool)
            try pool.write { db in
                try db.execute(sql: "INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-01-01T00:00:00Z', 'complete', 'x'), (2, '2025-01-02T00:00:00Z', 'complete', 'x'), (3, '2025-01-03T00:00:00Z', 'complete', 'x')")
                try db.execute(sql: "INSERT INTO credential (id, name, first_run_id) VALUES (1, 'p', 1)")
                let payload = String(repeating: "p", count: 400)
                for run in 1...3 {
                    for index in 0..<3000 {
                        try db.execute(sql: "INSERT INTO sighting (run_id, credential_id, kind, resource_id, payload) VALUES (?, 1, 'conversation', ?, ?)",
                                       arguments: [run, "c\(index)", payload])
                    }
                }
            }
        }
        let store = try AuditStore(path: path)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 0, "opening an existing file does not convert it")

        let first = try Retention.prune(store: store, policy: RetentionPolicy(keepRuns: 2))
        #expect(first.prunedRuns == [1])
        #expect(first.vacuumed)
        #expect(first.bytesAfter < first.bytesBefore * 3 / 4, "\(first.bytesBefore) → \(first.bytesAfter)")
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)

        let second = try Retention.prune(store: store, policy: RetentionPolicy(keepRuns: 1))
        #expect(second.prunedRuns == [2])
        #expect(!second.vacuumed, "incremental from now on")
        #expect(second.bytesAfter < second.bytesBefore * 3 / 4, "\(second.bytesBefore) → \(second.bytesAfter)")
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0)
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sighting WHERE run_id = 3") } == 3000)
    }

    @Test("retention: { keep_runs, keep_days } parses; unknown keys, an empty mapping and out-of-range values are errors")
    func config() throws {
        func parse(_ tail: String) throws -> AuditConfig {
            try ConfigLoader.parse("base_url: https://api.coze.cn\ndatabase: a.sqlite\n" + tail
                                   + "credentials:\n  - { name: p, side: personal, pat: { env: P } }\n", file: "c.yaml", directory: "/tmp")
        }
        #expect(try parse("retention: { keep_runs: 7, keep_days: 30 }\n").retention == RetentionPolicy(keepRuns: 7, keepDays: 30))
        #expect(try parse("retention: { keep_days: 90 }\n").retention == RetentionPolicy(keepDays: 90))
        #expect(try parse("").retention == nil)
        #expect(try parse("log_level: warning\n").logLevel == "warning")
        for (yaml, message) in [
            ("retention: { keep: 7 }\n", "c.yaml:3: retention.keep: unknown key"),
            ("retention: {}\n", "c.yaml:3: retention: needs keep_runs, keep_days or both"),
            ("retention: { keep_runs: 0 }\n", "c.yaml:3: retention.keep_runs: expected a whole number from 1"),
            ("log_level: loud\n", "c.yaml:3: log_level: expected one of trace, debug, info, notice, warning, error, critical, got \"loud\""),
        ] {
            let error = #expect(throws: ConfigError.self) { try parse(yaml) }
            #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "nil")")
        }
    }
}
