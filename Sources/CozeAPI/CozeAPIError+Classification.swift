/// The mapping from Coze answers to auditor meanings (docs/evidence.md).
///
/// Evidence first: only an *answer* — a JSON object with a numeric `code` (the OpenAPI envelope),
/// or `access_token` / `error` / `error_code` from the OAuth endpoints — can say "invalid",
/// "denied" or "not found". A gateway page, an empty body or a bare 401/403/404/502 from a proxy
/// or a wrong `base_url` path is a failure of that request whatever its HTTP status: reading it as
/// an answer is how a tool ends up advising to delete a PAT that works.
extension CozeAPIError {
    /// Codes that mean "slow down" (4013 in the SDKs; 4008/4009/4020 per a copy of the error page).
    static let rateLimitCodes: Set<Int> = [4013, 4008, 4009, 4020]

    /// Codes that reject the token itself: 4100 (invalid, expired, revoked, other-site token) and
    /// 700012006 (the open-source server's authentication failure).
    static let tokenRejectedCodes: Set<Int> = [4100, 700012006]

    /// OAuth error codes that reject the credential (the app's key, a refresh token).
    static let credentialRejectedAuthCodes: Set<String> = ["invalid_client", "invalid_grant", "invalid_token", "expired_token"]

    public var classification: Classification {
        switch kind {
        case .transport, .timeout: return .transport
        case .malformedBody, .bodyTooLarge, .paginationLoop: return .malformed
        case .auth: return authClassification
        case .api, .http: break
        }
        // No envelope: the request was not answered by Coze, only rate limiting and server
        // errors keep their meaning (they decide retries, never findings).
        guard let code else { return Self.unansweredClassification(httpStatus) }
        return Self.classify(code: code, httpStatus: httpStatus)
    }

    /// An envelope code's meaning. 4101 is a denial whatever its message: a text that blames the
    /// token ("The token you entered is incorrect") is also seen for tokens that work elsewhere.
    static func classify(code: Int, httpStatus: Int?) -> Classification {
        if tokenRejectedCodes.contains(code) { return .invalidToken }
        switch code {
        case 4101: return .permissionDenied
        case 4200: return .notFound
        case 4000: return .badRequest
        case _ where rateLimitCodes.contains(code): return .rateLimited
        default: break
        }
        // HTTP 401 *with* an envelope rejects the token (a gateway's bare 401 does not).
        if httpStatus == 401 { return .invalidToken }
        switch httpStatus {
        case 429: return .rateLimited
        case .some(500...599): return .server
        default: return .other
        }
    }

    /// A response without a Coze envelope.
    static func unansweredClassification(_ httpStatus: Int?) -> Classification {
        switch httpStatus {
        case 429: return .rateLimited
        case .some(500...599): return .server
        default: return .unanswered
        }
    }

    /// True when a 4101 message blames the token rather than a missing permission. Used only for
    /// a hint (tokens are per site); it never changes the classification.
    static func messageSaysTokenIsWrong(_ message: String) -> Bool {
        let lower = message.lowercased()
        guard lower.contains("token") else { return false }
        return ["incorrect", "invalid", "wrong", "expired", "revoked", "not exist"].contains { lower.contains($0) }
    }

    private var authClassification: Classification {
        if let authErrorCode {
            switch authErrorCode {
            case _ where Self.credentialRejectedAuthCodes.contains(authErrorCode): return .invalidToken
            case "access_deny", "access_denied": return .permissionDenied
            case "invalid_request", "unsupported_grant_type": return .badRequest
            case "internal_error": return .server
            case "slow_down": return .rateLimited
            default: return .other
            }
        }
        // An envelope instead of an OAuth error (some deployments wrap OAuth answers).
        if let code { return Self.classify(code: code, httpStatus: httpStatus) }
        return Self.unansweredClassification(httpStatus)
    }

    /// Whether the failure is an answer from Coze (an envelope code or an OAuth error), as opposed
    /// to a request that got no answer (transport, timeout, a page without envelope, a bad body).
    public var isAnswer: Bool {
        switch kind {
        case .api: return code != nil
        case .http: return code != nil
        case .auth: return authErrorCode != nil || code != nil
        default: return false
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
