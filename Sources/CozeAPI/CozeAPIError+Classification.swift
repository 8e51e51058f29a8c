/// The mapping from Coze codes and HTTP statuses to auditor meanings (coze-api.md §1.6, spec §2).
extension CozeAPIError {
    /// Codes that mean "slow down" (4013 in the SDKs; 4008/4009/4020 per a copy of the error page).
    static let rateLimitCodes: Set<Int> = [4013, 4008, 4009, 4020]

    public var classification: Classification {
        switch kind {
        case .transport, .timeout: return .transport
        case .malformedBody, .bodyTooLarge, .paginationLoop: return .malformed
        case .auth: return authClassification
        case .api, .http: break
        }
        if isInvalidToken { return .invalidToken }
        if let code {
            switch code {
            case 4101: return .permissionDenied
            case 4200: return .notFound
            case 4000: return .badRequest
            case _ where Self.rateLimitCodes.contains(code): return .rateLimited
            default: break
            }
        }
        switch httpStatus {
        case 403: return .permissionDenied
        case 404: return .notFound
        case 400: return .badRequest
        case 429: return .rateLimited
        case .some(500...599): return .server
        default: return .other
        }
    }

    /// 4100, HTTP 401, 700012006 (open-source server's auth failure), or a 4101 whose message says
    /// the token itself is wrong ("The token you entered is incorrect").
    private var isInvalidToken: Bool {
        if code == 4100 || code == 700012006 || httpStatus == 401 { return true }
        if code == 4101 { return Self.messageSaysTokenIsWrong(message) }
        return false
    }

    /// True when a 4101 message blames the token rather than a missing permission.
    static func messageSaysTokenIsWrong(_ message: String) -> Bool {
        let lower = message.lowercased()
        guard lower.contains("token") else { return false }
        return ["incorrect", "invalid", "wrong", "expired", "revoked", "not exist"].contains { lower.contains($0) }
    }

    private var authClassification: Classification {
        switch authErrorCode {
        case "invalid_client", "invalid_grant", "invalid_token", "expired_token": return .invalidToken
        case "access_deny", "access_denied": return .permissionDenied
        case "invalid_request", "unsupported_grant_type": return .badRequest
        case "internal_error": return .server
        default: break
        }
        switch httpStatus {
        case 401: return .invalidToken
        case 403: return .permissionDenied
        case 429: return .rateLimited
        case .some(500...599): return .server
        default: return .other
        }
    }

    /// Whether a GET that failed like this may succeed if repeated.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .transport: return true
        case .api, .http: return classification == .rateLimited || classification == .server
        default: return false
        }
    }
}
