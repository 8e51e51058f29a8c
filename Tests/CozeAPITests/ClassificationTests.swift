import Testing

@testable import CozeAPI

@Suite("Error classification")
struct ClassificationTests {
    func apiError(_ status: Int, _ code: Int?, _ message: String = "") -> CozeAPIError {
        CozeAPIError(kind: code == nil ? .http : .api, endpoint: "GET /v1/bots", httpStatus: status, code: code, message: message)
    }

    @Test("codes and statuses map to auditor meanings")
    func table() {
        #expect(apiError(200, 4100, "authentication is invalid").classification == .invalidToken)
        #expect(apiError(401, nil).classification == .invalidToken)
        #expect(apiError(200, 4101, "no permission").classification == .permissionDenied)
        #expect(apiError(403, nil).classification == .permissionDenied)
        #expect(apiError(200, 4200).classification == .notFound)
        #expect(apiError(404, nil).classification == .notFound)
        #expect(apiError(200, 4000).classification == .badRequest)
        #expect(apiError(400, nil).classification == .badRequest)
        for code in [4013, 4008, 4009, 4020] { #expect(apiError(200, code).classification == .rateLimited) }
        #expect(apiError(429, nil).classification == .rateLimited)
        #expect(apiError(500, nil).classification == .server)
        #expect(apiError(503, nil).classification == .server)
        #expect(apiError(200, 4016).classification == .other)
    }

    @Test("a 4101 whose message says the token is wrong means an invalid token")
    func wrongToken4101() {
        let error = apiError(200, 4101, "The token you entered is incorrect. Please double-check and try again.")
        #expect(error.classification == .invalidToken)
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
