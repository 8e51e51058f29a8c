import AuditQueries
import GRDB

/// One row of `queries/credential_history.sql`: a credential over every stored run.
public struct CredentialHistory: Codable, Sendable, Equatable {
    public var credential: String
    public var side: String
    public var auth: String
    public var fingerprint: String
    /// The run in which the current fingerprint first appeared, when an earlier run had another one.
    public var fingerprintChangedInRun: String?
    public var firstSeenRun: String
    public var lastValidRun: String?
    public var invalidSinceRun: String?
    public var runs: Int
    public var requests: Int
    public var failedRequests: Int
    public var successRate: Double?

    enum CodingKeys: String, CodingKey {
        case credential, side, auth, fingerprint, runs, requests
        case fingerprintChangedInRun = "fingerprint_changed_in_run"
        case firstSeenRun = "first_seen_run"
        case lastValidRun = "last_valid_run"
        case invalidSinceRun = "invalid_since_run"
        case failedRequests = "failed_requests"
        case successRate = "success_rate"
    }

    static func load(_ db: Database, upTo runID: Int64) throws -> [CredentialHistory] {
        try CredentialHistoryRow.fetchAll(db, sql: AuditQueries.credentialHistory, arguments: ["run_id": runID]).map { row in
            CredentialHistory(
                credential: row.credential, side: row.side, auth: row.auth, fingerprint: row.fingerprint,
                fingerprintChangedInRun: row.fingerprintChangedInRun.map(String.init), firstSeenRun: row.firstSeenRun.map(String.init) ?? "",
                lastValidRun: row.lastValidRun.map(String.init), invalidSinceRun: row.invalidSinceRun.map(String.init),
                runs: row.runs, requests: row.requests ?? 0, failedRequests: row.failedRequests ?? 0, successRate: row.successRate)
        }
    }
}
