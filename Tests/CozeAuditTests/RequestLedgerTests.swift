@testable import CozeAPI
@testable import CozeAudit
import Testing

/// The observer's bookkeeping: every attempt counted, every failure kept once.
@Suite("Request ledger")
struct RequestLedgerTests {
    static func event(_ outcome: CozeRequestEvent.Outcome, logID: String?, status: Int? = 200, code: Int? = nil) -> CozeRequestEvent {
        CozeRequestEvent(endpoint: "GET /v1/bots", query: "page_num=1&page_size=50&workspace_id=1", attempt: 1, httpStatus: status,
                         code: code, logID: logID, duration: .zero, outcome: outcome, credentialFingerprint: "sha256:000000000000")
    }

    @Test("attempts are counted, failures kept once: an unusable answer after a success is added, an observed failure is not added again")
    func countsAndDeduplicates() {
        let ledger = RequestLedger()
        let observer = ledger.observer(chaining: nil)
        let proxyPage = CozeAPIError(kind: .malformedBody, endpoint: "GET /v1/bots", httpStatus: 200,
                                     message: "expected a JSON envelope; body starts: <html>")
        observer(Self.event(.willRetry(CozeAPIError(kind: .http, endpoint: "GET /v1/bots", httpStatus: 502, message: "HTTP 502"),
                                       delay: .zero), logID: "L1", status: 502))
        observer(Self.event(.failure(proxyPage), logID: nil))
        observer(Self.event(.success, logID: "L3"))
        ledger.recordUnusableAnswer(proxyPage, params: "workspace_id=1")
        let loop = CozeAPIError(kind: .paginationLoop, endpoint: "GET /v1/bots", message: "page 2 repeats ids already seen", logID: "L3")
        ledger.recordUnusableAnswer(loop, params: "workspace_id=1")
        ledger.recordUnusableAnswer(CozeAPIError(kind: .api, endpoint: "GET /v1/bots", code: 4101, message: "no"), params: "")
        #expect(ledger.counts == (requests: 3, failed: 3))
        #expect(ledger.takeFailures().map { "\($0.httpStatus.map(String.init) ?? "-") \($0.logID ?? "-") \($0.params)" } == [
            "502 L1 page_num=1&page_size=50&workspace_id=1", "200 - page_num=1&page_size=50&workspace_id=1", "- L3 workspace_id=1",
        ])
        #expect(ledger.takeFailures().isEmpty)
    }
}
