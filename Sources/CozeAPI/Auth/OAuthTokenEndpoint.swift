import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// POSTs to Coze's OAuth endpoints, which answer without the OpenAPI envelope:
/// `{access_token, expires_in, …}` on success, `{error_code|error, error_message|error_description}`
/// on failure (docs/openapi.md §8.5: the docs disagree on the field names, so both are read).
struct OAuthTokenEndpoint: Sendable {
    var baseURL: String
    var timeout: Duration = .seconds(30)
    var maxBodyBytes: Int = 1024 * 1024
    var userAgent: String = "coze-audit/0.1"

    /// Sends `body` to `path` and returns the parsed JSON object, or throws a
    /// ``CozeAPIError`` of kind `.auth` with the OAuth string code in `authErrorCode`.
    func post(_ path: String, body: JSONValue, bearer: String?, using http: HTTPClient) async throws -> JSONValue {
        let endpoint = "POST \(path)"
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json"), ("User-Agent", userAgent)]
        if let bearer { headers.append(("Authorization", "Bearer " + bearer)) }
        let exchange = try await HTTPExchange.send(
            http, method: .POST, url: Self.trimmed(baseURL) + path, headers: headers, body: Array(body.jsonText.utf8),
            endpoint: endpoint, timeout: timeout, runDeadline: nil, maxBodyBytes: maxBodyBytes,
            logger: Logger(label: "coze-audit.api.oauth"))
        if let tap = CozeExchangeTap.current {
            tap.observer(CozeExchangeEvent(exchange, endpoint: endpoint, query: "", credentialFingerprint: tap.credentialFingerprint))
        }
        let parsed = try? JSONValue(parsing: exchange.body)
        let logID = exchange.headerLogID ?? parsed.flatMap(CozeEnvelope.bodyLogID)
        guard let json = parsed, case .object = json else {
            // A gateway page or an empty body is no OAuth answer: a failure, never "invalid" (docs/evidence.md).
            let success = (200..<300).contains(exchange.status)
            throw CozeAPIError(
                kind: success ? .malformedBody : .http, endpoint: endpoint, httpStatus: exchange.status,
                message: "\(success ? "expected JSON" : "HTTP \(exchange.status) without a Coze envelope"); body starts: \(CozeEnvelope.snippet(exchange))",
                logID: logID, hint: success ? nil : CozeClient.noEnvelopeHint)
        }
        // Some deployments wrap OAuth answers in the envelope; unwrap a successful one.
        let payload = (json["code"]?.intValue == 0 && json["data"]?.isNull == false) ? json["data"]! : json
        let errorCode = [payload["error_code"], payload["error"]].lazy.compactMap { $0?.stringValue }.first { !$0.isEmpty }
        let envelopeCode = json["code"]?.intValue
        if let errorCode {
            let message = [payload["error_message"], payload["error_description"], payload["msg"]]
                .lazy.compactMap { $0?.stringValue }.first { !$0.isEmpty } ?? ""
            throw CozeAPIError(
                kind: .auth, endpoint: endpoint, httpStatus: exchange.status, code: envelopeCode, message: message,
                logID: logID, authErrorCode: errorCode)
        }
        if let envelopeCode, envelopeCode != 0 {
            throw CozeAPIError(
                kind: .auth, endpoint: endpoint, httpStatus: exchange.status, code: envelopeCode,
                message: json["msg"]?.stringValue ?? "", logID: logID)
        }
        guard (200..<300).contains(exchange.status) else {
            // JSON, but neither an OAuth error nor an envelope code: not an answer either.
            throw CozeAPIError(
                kind: .http, endpoint: endpoint, httpStatus: exchange.status,
                message: "HTTP \(exchange.status) without an error code", logID: logID, hint: CozeClient.noEnvelopeHint)
        }
        return payload
    }

    /// Like ``post(_:body:bearer:using:)`` but requires an `access_token` in the answer.
    func token(_ path: String, body: JSONValue, bearer: String?, using http: HTTPClient, now: Date) async throws -> OAuthToken {
        let json = try await post(path, body: body, bearer: bearer, using: http)
        guard let token = OAuthToken(json: json, now: now) else {
            throw CozeAPIError(kind: .malformedBody, endpoint: "POST \(path)", httpStatus: 200, message: "no access_token in the answer")
        }
        return token
    }

    static func trimmed(_ baseURL: String) -> String {
        var base = baseURL.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// One percent-encoded path segment (ids go into paths such as `/account/{account_id}/token`).
    static func segment(_ text: String) -> String { CozeClient.escape(text) }
}
