/// An OAuth token-endpoint error. These endpoints have no Coze envelope: the body carries
/// `error_code`/`error_message` (what cozepy and coze-go read) and `error`/`error_description`
/// (what the device-flow docs and coze-js read).
struct OAuthFailure: Error, Sendable, Equatable {
    var errorCode: String
    var message: String
    var httpStatus: Int

    static func invalidRequest(_ message: String) -> OAuthFailure {
        OAuthFailure(errorCode: "invalid_request", message: message, httpStatus: 400)
    }

    static func invalidClient(_ message: String) -> OAuthFailure {
        OAuthFailure(errorCode: "invalid_client", message: message, httpStatus: 401)
    }

    /// A refresh token (or other grant) the server does not accept (RFC 6749 §5.2).
    static func invalidGrant(_ message: String) -> OAuthFailure {
        OAuthFailure(errorCode: "invalid_grant", message: message, httpStatus: 400)
    }

    static func accessDeny(_ message: String) -> OAuthFailure {
        OAuthFailure(errorCode: "access_deny", message: message, httpStatus: 403)
    }

    static func unsupportedGrantType(_ grantType: String) -> OAuthFailure {
        OAuthFailure(errorCode: "unsupported_grant_type", message: "unsupported grant_type \(grantType)", httpStatus: 400)
    }

    /// Device-flow answers (RFC 8628 names): `authorization_pending`, `slow_down`, `access_denied`, `expired_token`.
    static func device(_ code: String, _ message: String) -> OAuthFailure {
        OAuthFailure(errorCode: code, message: message, httpStatus: code == "access_denied" ? 403 : 400)
    }

    func response(logID: String) -> SimulatorResponse {
        let body: JSONValue = .object([
            ("error_code", .string(errorCode)),
            ("error_message", .string(message)),
            ("error", .string(errorCode)),
            ("error_description", .string(message)),
            ("logid", .string(logID)),
        ])
        return SimulatorResponse(
            status: httpStatus, headers: SimulatorResponse.jsonHeaders(logID), body: Array(body.serialized().utf8),
            code: -1)
    }
}

extension SimulatorResponse {
    /// A successful token-endpoint answer: the bare JSON object, no envelope.
    static func oauth(_ body: JSONValue, logID: String) -> SimulatorResponse {
        SimulatorResponse(
            status: 200, headers: jsonHeaders(logID), body: Array(body.serialized().utf8), code: 0)
    }
}
