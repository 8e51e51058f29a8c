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
            /// Renames `field` to `rename_to` in every list item of a successful answer.
            case renameField = "rename_field"
            /// A successful page whose list is empty while `has_more` / totals stay as they were.
            case dropPage = "drop_page"
            /// A Coze error envelope with `code` and `msg` (HTTP `status`, default 200).
            case apiError = "api_error"
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
        /// `Retry-After` seconds for `retry_after` (default 0), `rate_limit_429` and `code_4013` (no header when nil).
        public var retryAfterSeconds: Int?
        /// For `token_expires_after`: the credential's token answers 4100 after this many requests.
        public var after: Int?
        public var times: Int?
        /// For `rename_field`: the item field to rename, and its new name.
        public var field: String?
        public var renameTo: String?
        /// For `api_error`: the envelope `code` and `msg`.
        public var code: Int?
        public var message: String?

        public init(
            endpoint: String, credential: String? = nil, pageNum: Int? = nil, kind: Kind, status: Int? = nil,
            delayMS: Int? = nil, retryAfterSeconds: Int? = nil, after: Int? = nil, times: Int? = nil,
            field: String? = nil, renameTo: String? = nil, code: Int? = nil, message: String? = nil
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
            self.field = field
            self.renameTo = renameTo
            self.code = code
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case endpoint, credential, kind, status, after, times, field, code
            case renameTo = "rename_to"
            case message = "msg"
            case pageNum = "page_num"
            case delayMS = "delay_ms"
            case retryAfterSeconds = "retry_after_seconds"
        }
    }
}
