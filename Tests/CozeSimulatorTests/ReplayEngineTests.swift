import CozeRecording
@testable import CozeSimulator
import Foundation
import Testing

/// The replay's matching rules (issue 13), on the engine itself.
@Suite("Replay engine")
struct ReplayEngineTests {
    static let manifest = Recording.Manifest(
        toolVersion: "test", recordedAt: "2026-01-01T00:00:00Z", baseURLHost: "api.coze.cn",
        credentials: [.init(label: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:000000000000"),
                      .init(label: "enterprise-pat", side: "enterprise", auth: "pat", fingerprint: "sha256:111111111111")],
        exchanges: 3)

    static func exchange(_ seq: Int, _ credential: String, _ query: String, status: Int, code: Int) -> Recording.Exchange {
        Recording.Exchange(seq: seq, credential: credential, method: "GET", path: "/v1/bots", query: query, status: status,
                           headers: ["x-tt-logid": "20260101000000\(seq)"],
                           body: #"{"code":\#(code),"msg":"","data":{"items":[],"total":0}}"#, bodyText: nil, at: 1_767_225_600)
    }

    static func request(_ token: String, query: [String: String]) -> IncomingRequest {
        IncomingRequest(method: "GET", path: "/v1/bots", query: query, headers: ["authorization": "Bearer \(token)"], body: Data())
    }

    @Test("identical requests get their answers in recorded order (a 429 then a 200), per credential; parameter order does not matter; then 599 naming the request")
    func recordedOrder() async throws {
        let exchanges = [
            Self.exchange(1, "personal-pat", "workspace_id=1&page_num=1", status: 429, code: 4013),
            Self.exchange(2, "enterprise-pat", "workspace_id=1&page_num=1", status: 200, code: 0),
            Self.exchange(3, "personal-pat", "page_num=1&workspace_id=1", status: 200, code: 0),
        ]
        let credentials = ReplayEngine.credentials(for: Self.manifest, exchanges: exchanges)
        let engine = ReplayEngine(manifest: Self.manifest, exchanges: exchanges, credentials: credentials)
        let personal = try #require(credentials.first { $0.label == "personal-pat" }).token
        let query = ["page_num": "1", "workspace_id": "1"]
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(await engine.handle(Self.request(personal, query: query)).status) }
        #expect(statuses == [429, 200, ReplayEngine.unmatchedStatus])
        #expect(engine.unmatchedRequests() == ["personal-pat GET /v1/bots?page_num=1&workspace_id=1"])
        let unknown = await engine.handle(Self.request("pat_not_in_the_recording", query: query))
        #expect(unknown.status == ReplayEngine.unmatchedStatus)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("an unknown credential GET /v1/bots"))
        #expect(!String(decoding: unknown.body, as: UTF8.self).contains("\"code\""), "no envelope")
        // The other credential's answer was left for it.
        let enterprise = try #require(credentials.first { $0.label == "enterprise-pat" }).token
        #expect(await engine.handle(Self.request(enterprise, query: query)).status == 200)
    }

    @Test("derived secrets are stable for a recording and differ between labels and recordings")
    func derivedSecrets() {
        let one = ReplayEngine.credentials(for: Self.manifest, exchanges: [])
        #expect(one == ReplayEngine.credentials(for: Self.manifest, exchanges: []))
        #expect(Set(one.map(\.token)).count == 2 && one.allSatisfy { $0.token.hasPrefix("pat_replay_") })
        var later = Self.manifest
        later.recordedAt = "2026-01-02T00:00:00Z"
        #expect(Set(ReplayEngine.credentials(for: later, exchanges: []).map(\.token)).isDisjoint(with: one.map(\.token)))
    }
}
