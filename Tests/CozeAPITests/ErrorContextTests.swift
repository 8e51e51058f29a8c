import AsyncHTTPClient
import Testing

@testable import CozeAPI

@Suite("Error context")
struct ErrorContextTests {
    @Test("a 4100 from api.coze.cn gets the base_url hint and the token is scrubbed from the message")
    func hintAndScrub() {
        let client = CozeClient(baseURL: "https://api.coze.cn/", auth: PATAuth(token: "pat_abc"), httpClient: .shared)
        let raw = CozeAPIError(kind: .api, endpoint: "GET /v1/users/me", httpStatus: 401, code: 4100,
            message: "token pat_abc is invalid", logID: "L")
        let error = client.finish(raw, token: "pat_abc")
        #expect(error.hint == CozeClient.siteHint)
        #expect(error.message == "token [redacted] is invalid")
        #expect(!"\(error)".contains("pat_abc"))
        #expect("\(error)".contains("check base_url: tokens are per site (api.coze.cn vs api.coze.com)"))
        let other = CozeClient(baseURL: "http://127.0.0.1:9", auth: PATAuth(token: "pat_abc"), httpClient: .shared)
        #expect(other.finish(raw, token: "pat_abc").hint == nil)
        #expect(client.finish(CozeAPIError(kind: .api, endpoint: "GET /v1/bots", code: 4101, message: ""), token: "x").hint == nil)
    }
}
