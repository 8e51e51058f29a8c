import Testing

@testable import CozeAPI

@Suite("Error classification")
struct ClassificationTests {
    func apiError(_ status: Int, _ code: Int?, _ message: String = "") -> CozeAPIError {
        CozeAPIError(kind: code == nil ? .http : .api, endpoint: "GET /v1/bots", httpStatus: status, code: code, message: message)
    }

    @Test("envelope codes map to auditor meanings; HTTP 401 with an envelope rejects the token")
    func table() {
        #expect(apiError(200, 4100, "authentication is invalid").classification == .invalidToken)
        #expect(apiError(401, 4100).classification == .invalidToken)
        #expect(apiError(200, 700012006).classification == .invalidToken)
        #expect(CozeAPIError(kind: .http, endpoint: "GET /v1/users/me", httpStatus: 401, code: 0, message: "").classification == .invalidToken)
        #expect(apiError(200, 4101, "no permission").classification == .permissionDenied)
        #expect(apiError(403, 4101).classification == .permissionDenied)
        #expect(apiError(200, 4200).classification == .notFound)
        #expect(apiError(200, 4000).classification == .badRequest)
        for code in [4013, 4008, 4009, 4020] { #expect(apiError(200, code).classification == .rateLimited) }
        #expect(apiError(200, 4016).classification == .other)
    }

    @Test("a response without a Coze envelope is unanswered whatever its status: never invalid, denied or not found")
    func noEnvelope() {
        for status in [400, 401, 403, 404, 302, 418] {
            let error = apiError(status, nil)
            #expect(error.classification == .unanswered, "HTTP \(status)")
            #expect(!error.isAnswer)
        }
        // Only rate limiting and server errors keep their meaning: they decide retries, never findings.
        #expect(apiError(429, nil).classification == .rateLimited)
        #expect(apiError(502, nil).classification == .server)
        #expect(apiError(503, nil).classification == .server)
        #expect(apiError(200, 4101).isAnswer)
    }

    @Test("a 4101 whose message blames the token is still a denial (the token-blaming rule is withdrawn)")
    func wrongToken4101() {
        let error = apiError(200, 4101, "The token you entered is incorrect. Please double-check and try again.")
        #expect(error.classification == .permissionDenied)
    }

    @Test("OAuth answers: rejecting error codes are invalid, access_deny is a denial, anything without an error code is unanswered")
    func oauth() {
        func auth(_ code: String?, status: Int = 400) -> CozeAPIError {
            CozeAPIError(kind: .auth, endpoint: "POST /api/permission/oauth2/token", httpStatus: status, message: "", authErrorCode: code)
        }
        for code in ["invalid_client", "invalid_grant", "invalid_token", "expired_token"] {
            #expect(auth(code).classification == .invalidToken, "\(code)")
        }
        #expect(auth("access_deny", status: 403).classification == .permissionDenied)
        #expect(auth("invalid_request").classification == .badRequest)
        #expect(auth(nil, status: 401).classification == .unanswered)
        #expect(auth(nil, status: 403).classification == .unanswered)
        #expect(auth(nil, status: 502).classification == .server)
    }

    @Test("transport, timeout, malformed and pagination kinds classify without a code")
    func kinds() {
        #expect(CozeAPIError(kind: .timeout, endpoint: "GET /x", message: "").classification == .transport)
        #expect(CozeAPIError(kind: .transport, endpoint: "GET /x", message: "").classification == .transport)
        #expect(CozeAPIError(kind: .bodyTooLarge, endpoint: "GET /x", message: "").classification == .malformed)
        #expect(CozeAPIError(kind: .paginationLoop, endpoint: "GET /x", message: "").classification == .malformed)
    }

    @Test("only rate limiting, 5xx, timeouts and transport errors are retryable")
    func retryable() {
        #expect(apiError(200, 4013).isRetryable)
        #expect(apiError(429, nil).isRetryable)
        #expect(apiError(500, nil).isRetryable)
        #expect(!apiError(200, 4100).isRetryable)
        #expect(!apiError(200, 4101).isRetryable)
        #expect(!CozeAPIError(kind: .malformedBody, endpoint: "GET /x", httpStatus: 200, message: "").isRetryable)
        #expect(CozeAPIError(kind: .timeout, endpoint: "GET /x", message: "").isRetryable)
    }

    @Test("the description names endpoint, status, code, message, hint and log id")
    func description() {
        var error = apiError(200, 4100, "authentication is invalid")
        error.logID = "L9"
        error.hint = CozeClient.siteHint
        #expect(error.description == "GET /v1/bots: api (HTTP 200, code 4100): authentication is invalid; check base_url: tokens are per site (api.coze.cn vs api.coze.com) [logid L9]")
    }
}
