/// One request as the simulator saw and answered it; tests assert on the log
/// ("page 2 requested only after has_more", "the enterprise token never called X").
public struct SimulatedRequest: Sendable, Equatable, CustomStringConvertible {
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Scenario credential or app name the bearer token belongs to; nil for an unknown or missing token.
    public var credential: String?
    public var httpStatus: Int
    /// Envelope code (0 = success); -1 when the body has no Coze code (OAuth errors, scripted
    /// HTML or 5xx pages), 0 for a successful OAuth answer.
    public var code: Int
    public var logID: String

    public init(
        method: String, path: String, query: [String: String], credential: String?, httpStatus: Int, code: Int,
        logID: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.credential = credential
        self.httpStatus = httpStatus
        self.code = code
        self.logID = logID
    }

    /// `"GET /v1/bots"`, the form used in `denied_endpoints` and fault rules.
    public var endpoint: String { "\(method) \(path)" }

    public var description: String {
        let params = query.keys.sorted().map { "\($0)=\(query[$0]!)" }.joined(separator: "&")
        return "\(endpoint)\(params.isEmpty ? "" : "?" + params) [\(credential ?? "-")] → \(httpStatus) code \(code)"
    }
}
