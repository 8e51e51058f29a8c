import NIOHTTP1
import Testing

@testable import CozeAPI

@Suite("Envelope")
struct EnvelopeTests {
    func exchange(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPExchange {
        HTTPExchange(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8))
    }

    @Test("a success envelope yields data and the header log id over the body's")
    func success() throws {
        let result = CozeEnvelope.decode(
            exchange(200, #"{"code":0,"msg":"","data":{"user_id":"1"},"detail":{"logid":"body-id"}}"#, headers: [("x-tt-logid", "hdr-id")]),
            endpoint: "GET /v1/users/me")
        let response = try result.get()
        #expect(response.logID == "hdr-id")
        #expect(response.data["user_id"]?.idString == "1")
    }

    @Test("HTTP 200 with code != 0 is an API error carrying code, msg and detail.logid")
    func codeNonZeroOn200() {
        let result = CozeEnvelope.decode(
            exchange(200, #"{"code":4101,"msg":"no permission","detail":{"logid":"L1"}}"#), endpoint: "GET /v1/audio/voices")
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .api)
        #expect(error.code == 4101)
        #expect(error.httpStatus == 200)
        #expect(error.message == "no permission")
        #expect(error.logID == "L1")
        #expect(error.endpoint == "GET /v1/audio/voices")
        #expect(error.classification == .permissionDenied)
    }

    @Test("an HTML page with status 200 is a malformed body, with the header log id")
    func htmlOn200() {
        let result = CozeEnvelope.decode(
            exchange(200, "<html><body>Gateway</body></html>", headers: [("x-tt-logid", "H1")]), endpoint: "GET /v1/bots")
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .malformedBody)
        #expect(error.classification == .malformed)
        #expect(error.logID == "H1")
        #expect(error.message.contains("<html>"))
    }

    @Test("JSON without a code field on 200 is malformed, not success")
    func missingCode() {
        let result = CozeEnvelope.decode(exchange(200, #"{"data":{}}"#), endpoint: "GET /v1/bots")
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .malformedBody)
    }

    @Test("a non-JSON 502 is an HTTP error classified as server")
    func htmlOn502() {
        let result = CozeEnvelope.decode(exchange(502, "Bad Gateway"), endpoint: "GET /v1/bots")
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .http)
        #expect(error.httpStatus == 502)
        #expect(error.classification == .server)
        #expect(error.isRetryable)
    }

    @Test("Retry-After seconds are read from the header")
    func retryAfter() {
        #expect(exchange(429, "", headers: [("Retry-After", "3")]).retryAfter == .seconds(3))
        #expect(exchange(429, "", headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]).retryAfter == nil)
        #expect(exchange(429, "").retryAfter == nil)
    }
}
