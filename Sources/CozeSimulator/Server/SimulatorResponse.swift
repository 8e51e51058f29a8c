/// What the simulator sends back, before Hummingbird types get involved.
struct SimulatorResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// When set, only this many body bytes are written and then the connection is dropped
    /// (`close_mid_body`), although `Content-Length` announces the whole body.
    var cutAfter: Int?
    /// Envelope code for the request log.
    var code: Int

    init(status: Int, headers: [(String, String)] = [], body: [UInt8], cutAfter: Int? = nil, code: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.cutAfter = cutAfter
        self.code = code
    }

    /// The Coze envelope `{"code","msg","data","detail":{"logid"}}` (no `data` on errors).
    static func envelope(
        code: Int, msg: String, data: JSONValue?, logID: String, status: Int, extraHeaders: [(String, String)] = []
    ) -> SimulatorResponse {
        var pairs: [(String, JSONValue)] = [("code", .int(Int64(code))), ("msg", .string(msg))]
        if let data { pairs.append(("data", data)) }
        pairs.append(("detail", .object([("logid", .string(logID))])))
        return SimulatorResponse(
            status: status, headers: jsonHeaders(logID) + extraHeaders,
            body: Array(JSONValue.object(pairs).serialized().utf8), code: code)
    }

    static func failure(_ failure: APIFailure, logID: String, errorsAsHTTP200: Bool) -> SimulatorResponse {
        envelope(
            code: failure.code, msg: failure.msg, data: nil, logID: logID,
            status: errorsAsHTTP200 ? 200 : failure.httpStatus)
    }

    static func jsonHeaders(_ logID: String) -> [(String, String)] {
        [("Content-Type", "application/json; charset=utf-8"), ("x-tt-logid", logID)]
    }
}
