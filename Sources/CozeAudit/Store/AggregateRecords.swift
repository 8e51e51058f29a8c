import GRDB

// The typed rows of the store's aggregate queries. Each query's SELECT list and its record are
// decoded by GRDB from the column names (snake_case in SQL, camelCase here), so no reader
// subscripts a row by a string it could misspell.

/// `kind, n`: a count per kind (inventory, findings per kind, stranded per kind).
struct KindCount: Decodable, FetchableRecord {
    var kind: String
    var n: Int
}

/// `kind, pos, n`: how many resources of a kind a fallback chain first reaches at `pos` (nil: none).
struct ChainPositionCount: Decodable, FetchableRecord {
    var kind: String
    var pos: Int?
    var n: Int
}

/// `id, name`: a resource id and its name, when known.
struct ResourceIDName: Decodable, FetchableRecord {
    var id: String
    var name: String?
}

/// `name, requests, failed_requests` of a credential in one run.
struct CredentialRequests: Decodable, FetchableRecord {
    var name: String
    var requests: Int
    var failedRequests: Int
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// One `run_credential` row with its credential's name.
struct RunCredentialRow: Decodable, FetchableRecord {
    var credentialId: Int64
    var name: String
    var side: String
    var auth: String
    var fingerprint: String
    var status: String
    var userId: String?
    var detail: String?
    var requests: Int
    var failedRequests: Int
    /// The credential's inventory kept when retention pruned the run (JSON).
    var sees: String?
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// Enterprise listings of one kind that were refused, grouped (the evidence of "not observed").
struct RefusedListings: Decodable, FetchableRecord {
    var kind: String
    var name: String
    var endpoint: String
    var code: Int?
    var httpStatus: Int?
    var status: String
    /// Only for token endpoints (which answer without a Coze code).
    var message: String?
    var n: Int
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// A listing whose pages disagreed with the server's counts.
struct ListingNoteRow: Decodable, FetchableRecord {
    var name: String
    var endpoint: String
    var params: String
    var status: String
    var note: String
}

/// `cause, credential, endpoint, n`: unanswered listings grouped by cause.
struct ListingCauseRow: Decodable, FetchableRecord {
    var cause: String
    var credential: String
    var endpoint: String
    var n: Int
}

/// A rejected identity step.
struct RejectionRow: Decodable, FetchableRecord {
    var code: Int?
    var message: String?
    var endpoint: String
    var credential: String
}

/// The best outcome of a credential's identity listings, and the first problem.
struct IdentityRow: Decodable, FetchableRecord {
    var credential: String
    var status: String
    var problem: String?
}

/// `key, value` of `learned_behaviour`.
struct LearnedRow: Decodable, FetchableRecord {
    var key: String
    var value: String
}

/// One row of `queries/credential_history.sql` as SQL returns it (run numbers as integers).
struct CredentialHistoryRow: Decodable, FetchableRecord {
    var credential: String
    var side: String
    var auth: String
    var fingerprint: String
    var fingerprintChangedInRun: Int64?
    var firstSeenRun: Int64?
    var lastValidRun: Int64?
    var invalidSinceRun: Int64?
    var runs: Int
    var requests: Int?
    var failedRequests: Int?
    var successRate: Double?
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

extension RunDiff.Resource: FetchableRecord {}
extension RunDiff.FindingChange: FetchableRecord {}
extension NotificationContent.Line: FetchableRecord {}
