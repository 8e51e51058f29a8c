extension Scenario {
    /// A scripted misbehaviour: requests matching `endpoint` (and `credential`, `page_num` when
    /// given) get `kind` instead of (or on top of) the normal answer, `times` times (nil = always).
    public struct Fault: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case httpStatus = "http_status"
            case rateLimit429 = "rate_limit_429"
            case code4013 = "code_4013"
            case retryAfter = "retry_after"
            case slow
            case closeMidBody = "close_mid_body"
            case truncatedJSON = "truncated_json"
            case invalidJSON = "invalid_json"
            case html200 = "html_200"
            case repeatPage = "repeat_page"
            case endlessHasMore = "endless_has_more"
            case duplicateIDs = "duplicate_ids"
            case tokenExpiresAfter = "token_expires_after"
            case hold
        }

        /// `"GET /v1/bots"`; `"*"` matches every endpoint.
        public var endpoint: String
        public var credential: String?
        public var pageNum: Int?
        public var kind: Kind
        /// HTTP status for `http_status` (default 500).
        public var status: Int?
        /// Delay for `slow`.
        public var delayMS: Int?
        /// `Retry-After` seconds for `retry_after` and `rate_limit_429` (default 0).
        public var retryAfterSeconds: Int?
        /// For `token_expires_after`: the credential's token answers 4100 after this many requests.
        public var after: Int?
        public var times: Int?

        public init(
            endpoint: String, credential: String? = nil, pageNum: Int? = nil, kind: Kind, status: Int? = nil,
            delayMS: Int? = nil, retryAfterSeconds: Int? = nil, after: Int? = nil, times: Int? = nil
        ) {
            self.endpoint = endpoint
            self.credential = credential
            self.pageNum = pageNum
            self.kind = kind
            self.status = status
            self.delayMS = delayMS
            self.retryAfterSeconds = retryAfterSeconds
            self.after = after
            self.times = times
        }

        enum CodingKeys: String, CodingKey {
            case endpoint, credential, kind, status, after, times
            case pageNum = "page_num"
            case delayMS = "delay_ms"
            case retryAfterSeconds = "retry_after_seconds"
        }
    }
}
