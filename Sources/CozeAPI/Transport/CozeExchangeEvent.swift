/// One whole HTTP exchange of the OpenAPI client, for instruments that need more than
/// ``CozeRequestEvent`` carries: `doctor` reads the rate-limit headers and unusual bodies from it.
///
/// It carries the response as the server sent it, so whoever receives it handles a body that may
/// hold names and ids: `doctor` keeps only header names, counts and codes. The request's token is
/// never part of it.
public struct CozeExchangeEvent: Sendable {
    /// `"GET /v1/bots"`.
    public let endpoint: String
    /// The encoded query (`page_num=2&page_size=50&workspace_id=…`); contains no secrets.
    public let query: String
    public let httpStatus: Int
    /// Every response header, lower-cased names, in the order received.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// The credential's fingerprint, never the token.
    public let credentialFingerprint: String

    init(_ exchange: HTTPExchange, endpoint: String, query: String, credentialFingerprint: String) {
        self.endpoint = endpoint
        self.query = query
        self.httpStatus = exchange.status
        self.headers = exchange.headers.map { (name: $0.name.lowercased(), value: $0.value) }
        self.body = exchange.body
        self.credentialFingerprint = credentialFingerprint
    }

    /// Response headers about rate limits: `retry-after` and every `*ratelimit*` header.
    public var rateLimitHeaders: [(name: String, value: String)] {
        headers.filter { $0.name == "retry-after" || $0.name.contains("ratelimit") || $0.name.contains("rate-limit") }
    }
}

/// Receives every HTTP exchange (retries included). Must be cheap and must not block.
public typealias CozeExchangeObserver = @Sendable (CozeExchangeEvent) -> Void

/// The exchange observer for requests a ``CozeClient`` does not send itself: the OAuth token
/// endpoints, which a credential's ``CozeAuth`` calls while the client asks it for a token. The
/// client binds it around that call, so `run --record` sees the token exchanges too.
public enum CozeExchangeTap {
    public struct Binding: Sendable {
        public var observer: CozeExchangeObserver
        public var credentialFingerprint: String
    }

    @TaskLocal public static var current: Binding?
}
