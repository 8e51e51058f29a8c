/// A decoded OpenAPI response: the envelope's `data` plus where it came from.
public struct CozeResponse: Sendable {
    /// The envelope's `data` (`.null` when absent).
    public let data: JSONValue
    /// The whole envelope, for the rare endpoints with top-level extras (`has_more` on messages).
    public let envelope: JSONValue
    public let logID: String?
    public let httpStatus: Int
}

/// Decodes `{code, msg, data, detail: {logid}}` (docs/openapi.md §1.3).
///
/// The body is judged before the status: HTTP 200 with `code != 0` is a failure, and a 200 whose
/// body is not a JSON envelope (an HTML error page from a proxy) is ``CozeAPIError/Kind/malformedBody``,
/// never silently an empty success.
enum CozeEnvelope {
    static func decode(_ exchange: HTTPExchange, endpoint: String) -> Result<CozeResponse, CozeAPIError> {
        let success = (200..<300).contains(exchange.status)
        let parsed = try? JSONValue(parsing: exchange.body)
        let logID = exchange.headerLogID ?? parsed.flatMap(bodyLogID)
        guard let envelope = parsed, case .object = envelope, let codeValue = envelope["code"] else {
            let kind: CozeAPIError.Kind = success ? .malformedBody : .http
            let what = success ? "expected a JSON envelope" : "HTTP \(exchange.status) without a Coze envelope"
            return .failure(
                CozeAPIError(
                    kind: kind, endpoint: endpoint, httpStatus: exchange.status,
                    message: "\(what); body starts: \(snippet(exchange))", logID: logID))
        }
        guard let code = codeValue.intValue else {
            return .failure(
                CozeAPIError(
                    kind: success ? .malformedBody : .http, endpoint: endpoint, httpStatus: exchange.status,
                    message: "envelope code is not a number", logID: logID))
        }
        let message = envelope["msg"]?.stringValue ?? ""
        if code != 0 {
            return .failure(
                CozeAPIError(kind: .api, endpoint: endpoint, httpStatus: exchange.status, code: code, message: message, logID: logID))
        }
        guard success else {
            return .failure(
                CozeAPIError(kind: .http, endpoint: endpoint, httpStatus: exchange.status, code: code, message: message, logID: logID))
        }
        return .success(CozeResponse(data: envelope["data"] ?? .null, envelope: envelope, logID: logID, httpStatus: exchange.status))
    }

    /// `detail.logid`, or the deprecated `error.logid` coze-js also reads.
    static func bodyLogID(_ envelope: JSONValue) -> String? {
        let candidates = [envelope["detail"]?["logid"], envelope["error"]?["logid"]]
        return candidates.lazy.compactMap { $0?.stringValue }.first { !$0.isEmpty }
    }

    /// The first 120 characters of a body, one line, for error messages.
    static func snippet(_ exchange: HTTPExchange) -> String {
        let text = exchange.bodyText.prefix(120)
        let oneLine = text.map { $0.isNewline ? " " : String($0) }.joined()
        return oneLine.isEmpty ? "(empty)" : oneLine
    }
}
