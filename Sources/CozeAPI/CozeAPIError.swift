/// Every failure of a Coze call, with the context an auditor records as a row:
/// endpoint, HTTP status, Coze code and msg, log id.
///
/// Shaped like AHC's `HTTPClientError` (a struct with a kind enum) so new kinds do not break
/// callers. Its ``description`` never contains a credential: the client scrubs the bearer token
/// out of server messages before building one.
public struct CozeAPIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The envelope said `code != 0` (whatever the HTTP status).
        case api
        /// A non-2xx status without a decodable envelope (`code` nil), or with envelope code 0.
        case http
        /// Connection refused/reset, TLS failure and other transport errors.
        case transport
        /// The per-request or per-run deadline passed.
        case timeout
        /// The body is not the expected JSON (e.g. an HTML page with status 200).
        case malformedBody
        /// The body exceeded ``CozeClientOptions/maxBodyBytes``.
        case bodyTooLarge
        /// A listing repeated a page, yielded nothing new, exceeded the page cap, or lost items
        /// (an empty page before the reported total, or followed by a page with items).
        case paginationLoop
        /// The OAuth token endpoint refused (JWT app, refresh token, device flow).
        case auth
    }

    /// What the failure means to the auditor, independent of how it arrived.
    public enum Classification: String, Sendable, Hashable {
        case invalidToken, permissionDenied, notFound, badRequest, rateLimited, server, transport, malformed
        /// An HTTP answer without a Coze envelope (a gateway or proxy page, a wrong `base_url`
        /// path): a failure of the request, never evidence.
        case unanswered
        /// A Coze code with no specific meaning here (e.g. 4016, 5000).
        case other

        /// In plain words, for one-line reasons.
        public var words: String {
            switch self {
            case .invalidToken: "token rejected"
            case .permissionDenied: "no permission"
            case .notFound: "not found"
            case .badRequest: "bad request"
            case .rateLimited: "rate limited"
            case .server: "server error"
            case .transport: "no connection"
            case .malformed: "unusable answer"
            case .other: "error"
            case .unanswered: "no Coze envelope"
            }
        }
    }

    public var kind: Kind
    /// `"GET /v1/bots"`: method and path, never the query.
    public var endpoint: String
    public var httpStatus: Int?
    /// The envelope `code`, when there was one.
    public var code: Int?
    /// The envelope `msg`, the OAuth `error_message`, or a local explanation.
    public var message: String
    public var logID: String?
    /// The OAuth string code (`invalid_client`, `access_deny`, `expired_token`, …) for ``Kind/auth``.
    public var authErrorCode: String?
    /// Advice for the user, e.g. that tokens are per site; shown in ``description``.
    public var hint: String?

    public init(
        kind: Kind, endpoint: String, httpStatus: Int? = nil, code: Int? = nil, message: String,
        logID: String? = nil, authErrorCode: String? = nil, hint: String? = nil
    ) {
        self.kind = kind
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.logID = logID
        self.authErrorCode = authErrorCode
        self.hint = hint
    }

    public var description: String {
        var parts: [String] = []
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let code { parts.append("code \(code)") }
        if let authErrorCode { parts.append(authErrorCode) }
        var text = "\(endpoint): \(kind)"
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        if !message.isEmpty { text += ": " + message }
        if let hint { text += "; " + hint }
        if let logID { text += " [logid \(logID)]" }
        return text
    }
}
