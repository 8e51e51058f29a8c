/// One HTTP attempt as seen by a ``CozeRequestObserver``.
///
/// The crawler counts requests and records failures from these without wrapping the client.
public struct CozeRequestEvent: Sendable {
    public enum Outcome: Sendable {
        case success
        /// The attempt failed and will be retried after `delay`.
        case willRetry(CozeAPIError, delay: Duration)
        /// The attempt failed and is the last one.
        case failure(CozeAPIError)
    }

    /// `"GET /v1/bots"`.
    public let endpoint: String
    /// The encoded query (`page_num=2&page_size=50&workspace_id=…`); contains no secrets.
    public let query: String
    /// 1-based attempt number within this request.
    public let attempt: Int
    public let httpStatus: Int?
    public let code: Int?
    public let logID: String?
    public let duration: Duration
    public let outcome: Outcome
    /// The credential's fingerprint, never the token.
    public let credentialFingerprint: String
}

/// Receives every HTTP attempt. Must be cheap and must not block; called on the request's task.
public typealias CozeRequestObserver = @Sendable (CozeRequestEvent) -> Void
