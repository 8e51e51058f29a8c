import Foundation
import GRDB

/// Records one run. The run row is inserted first (`running`) and finished last, so a killed
/// process leaves a visible, unfinished run and every page already written stays consistent
/// (one transaction per page).
public struct RunRecorder: Sendable {
    public let store: AuditStore
    public let runID: Int64

    /// Inserts the run row. Earlier runs left `running` by a killed process are marked `failed`
    /// first: the caller holds the writer lock, so no other process can still be writing them.
    public static func begin(store: AuditStore, baseURL: String, startedAt: Date) throws -> RunRecorder {
        let id = try store.write { db -> Int64 in
            try markInterrupted(db)
            try db.execute(sql: "INSERT INTO run (started_at, status, base_url, pid) VALUES (?, 'running', ?, ?)",
                           arguments: [Timestamp.format(startedAt), baseURL, Int(ProcessInfo.processInfo.processIdentifier)])
            return db.lastInsertedRowID
        }
        return RunRecorder(store: store, runID: id)
    }

    /// Stores every run left `running` as `failed` (``RunLiveness/interruptedReason``). Only a
    /// holder of the writer lock may call this: no other process can still be writing those runs.
    static func markInterrupted(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE run SET status = 'failed', finished_at = COALESCE(finished_at, started_at), reason = ?
            WHERE status = 'running'
            """, arguments: [RunLiveness.interruptedReason])
    }

    /// Registers a credential for this run and returns its id. A credential is identified across
    /// runs by name; its fingerprint is stored per run so a changed secret is visible.
    public func addCredential(name: String, side: String, auth: String, fingerprint: String) throws -> Int64 {
        try store.write { db in
            try db.execute(sql: "INSERT INTO credential (name, first_run_id) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                           arguments: [name, runID])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM credential WHERE name = ?", arguments: [name])!
            try db.execute(sql: """
                INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status)
                VALUES (?, ?, ?, ?, ?, 'pending')
                """, arguments: [runID, id, side, auth, fingerprint])
            return id
        }
    }

    public func setCredentialStatus(_ credentialID: Int64, status: String, userID: String? = nil,
                                    userName: String? = nil, detail: String? = nil) async throws {
        let runID = runID
        try await store.write { db in
            try db.execute(sql: """
                UPDATE run_credential SET status = ?, user_id = COALESCE(?, user_id), user_name = COALESCE(?, user_name),
                  detail = COALESCE(?, detail) WHERE run_id = ? AND credential_id = ?
                """, arguments: [status, userID, userName, detail, runID, credentialID])
        }
    }

    /// Writes one page of a listing in one transaction: the sightings and the resources.
    public func recordPage(credentialID: Int64, items: [ObservedResource]) async throws {
        guard !items.isEmpty else { return }
        let runID = runID
        try await store.write { db in
            let sighting = try db.cachedStatement(sql: """
                INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET payload = excluded.payload, parent_id = excluded.parent_id
                """)
            let resource = try db.cachedStatement(sql: """
                INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(kind, id) DO UPDATE SET name = excluded.name,
                  parent_id = COALESCE(excluded.parent_id, resource.parent_id),
                  is_system = excluded.is_system, last_run_id = excluded.last_run_id
                """)
            for item in items {
                try sighting.execute(arguments: [runID, credentialID, item.kind.rawValue, item.id, item.parentID, item.payload])
                try resource.execute(arguments: [item.kind.rawValue, item.id, item.name, item.parentID, item.isSystem, runID, runID])
            }
        }
    }

    /// Records how one listing ended (all pages, or the error that stopped it).
    public func recordListing(_ listing: ListingOutcome) async throws {
        let runID = runID
        try await store.write { db in
            try db.execute(sql: """
                INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid, pages, items, note, cause)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET status = excluded.status, http_status = excluded.http_status, code = excluded.code,
                  message = excluded.message, logid = excluded.logid, pages = excluded.pages, items = excluded.items,
                  note = excluded.note, cause = excluded.cause
                """, arguments: [runID, listing.credentialID, listing.endpoint, listing.kind, listing.parentID, listing.params,
                                 listing.status.rawValue, listing.httpStatus, listing.code, listing.message, listing.logID,
                                 listing.pages, listing.items, listing.note, listing.cause])
        }
    }

    /// Records one failed HTTP request (retried or final) with what the server said.
    public func recordFailure(credentialID: Int64, endpoint: String, params: String, httpStatus: Int?,
                              code: Int?, message: String?, logID: String?) async throws {
        let runID = runID
        try await store.write { db in
            try db.execute(sql: """
                INSERT INTO request_failure (run_id, credential_id, endpoint, params, http_status, code, message, logid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runID, credentialID, endpoint, params, httpStatus, code, message, logID])
        }
    }

    public func addRequestCounts(credentialID: Int64, requests: Int, failed: Int) async throws {
        let runID = runID
        try await store.write { db in
            try db.execute(sql: """
                UPDATE run_credential SET requests = requests + ?, failed_requests = failed_requests + ?
                WHERE run_id = ? AND credential_id = ?
                """, arguments: [requests, failed, runID, credentialID])
        }
    }

    /// Remembers what the API behind this run's base URL was seen to do (e.g. `/v1/bots` pages by `page_index`).
    public func learn(baseURL: String, _ behaviour: [String: String], at date: Date) throws {
        guard !behaviour.isEmpty else { return }
        let runID = runID
        try store.write { db in
            for (key, value) in behaviour {
                try db.execute(sql: """
                    INSERT INTO learned_behaviour (base_url, key, value, source, run_id, observed_at) VALUES (?, ?, ?, 'run', ?, ?)
                    ON CONFLICT DO UPDATE SET value = excluded.value, source = excluded.source, run_id = excluded.run_id,
                      observed_at = excluded.observed_at
                    """, arguments: [baseURL, key, value, runID, Timestamp.format(date)])
            }
        }
    }

    /// Finishes a run stopped from outside (a signal): `failed` with `reason`, and without the
    /// findings a crawl cut short cannot prove (they may have been computed before the signal).
    public func finishTerminated(reason: String, finishedAt: Date) throws {
        let runID = runID
        try store.write { db in
            try db.execute(sql: "DELETE FROM finding WHERE run_id = ?", arguments: [runID])
            try db.execute(sql: "UPDATE run SET status = 'failed', reason = ?, finished_at = ? WHERE id = ?",
                           arguments: [reason, Timestamp.format(finishedAt), runID])
        }
    }

    public func finish(status: RunStatus, reason: String?, finishedAt: Date) throws {
        let runID = runID
        try store.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, reason = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, reason, Timestamp.format(finishedAt), runID])
        }
    }
}

/// Stored in `run.status` as its raw value.
public enum RunStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case running, complete, partial, failed
}

public enum ResourceKind: String, Sendable, Codable, CaseIterable {
    case workspace, bot, conversation, voice, app, workflow

    /// The listings a credential must have completed to know this kind: bots are listed per
    /// workspace, conversations per bot, and every listing starts from `users/me` (`user`). A
    /// failed listing of any of them makes the kind unknown for that credential (a blind spot),
    /// never "not seen". The store's `kind_dependency` table is written from this
    /// (``Schema/prepare(_:)``), and the report's evidence follows the same chain.
    public var listingsNeeded: [String] {
        switch self {
        case .workspace: ["user", "workspace"]
        case .bot: ["user", "workspace", "bot"]
        case .conversation: ["user", "workspace", "bot", "conversation"]
        case .voice: ["user", "voice"]
        case .app: ["user", "workspace", "app"]
        case .workflow: ["user", "workspace", "workflow"]
        }
    }
}

/// One item of a listing page, as the store keeps it.
public struct ObservedResource: Sendable, Equatable {
    public var kind: ResourceKind
    public var id: String
    public var name: String
    public var parentID: String?
    public var isSystem: Bool
    public var payload: String

    public init(kind: ResourceKind, id: String, name: String, parentID: String?, isSystem: Bool = false, payload: String) {
        self.kind = kind
        self.id = id
        self.name = name
        self.parentID = parentID
        self.isSystem = isSystem
        self.payload = payload
    }
}

public struct ListingOutcome: Sendable {
    /// Stored in `listing.status` as its raw value.
    public enum Status: String, Sendable, DatabaseValueConvertible { case ok, denied, invalid, error }
    public var credentialID: Int64
    public var endpoint: String
    public var kind: String
    public var parentID: String
    public var params: String
    public var status: Status
    public var httpStatus: Int?
    public var code: Int?
    public var message: String?
    public var logID: String?
    public var pages: Int
    public var items: Int
    /// Where the server's counts disagreed with its pages (not a failure); see `listing.note`.
    public var note: String?
    /// Why a listing could not be answered, in plain words (``FailureCause``); see `listing.cause`.
    public var cause: String?

    public init(credentialID: Int64, endpoint: String, kind: String, parentID: String = "", params: String = "",
                status: Status, httpStatus: Int? = nil, code: Int? = nil, message: String? = nil, logID: String? = nil,
                pages: Int = 0, items: Int = 0, note: String? = nil, cause: String? = nil) {
        self.note = note
        self.cause = cause
        self.credentialID = credentialID
        self.endpoint = endpoint
        self.kind = kind
        self.parentID = parentID
        self.params = params
        self.status = status
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.logID = logID
        self.pages = pages
        self.items = items
    }
}

/// RFC 3339 in UTC with seconds: sortable as text in SQL, readable in reports.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
