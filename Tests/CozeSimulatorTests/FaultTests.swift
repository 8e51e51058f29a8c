import AsyncHTTPClient
import CozeSimulator
import CozeTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("Scripted faults")
struct FaultTests {
    static func run(_ faults: [Scenario.Fault], _ body: @Sendable @escaping (SimulatorHarness) async throws -> Void) async throws {
        var scenario = try Scenario.bundled()
        scenario.faults = faults
        try await SimulatorHarness.with(scenario, body)
    }

    @Test("http_status answers the scripted status `times` times, then the real answer")
    func httpStatus() async throws {
        try await Self.run([.init(endpoint: "GET /v1/workspaces", kind: .httpStatus, status: 503, times: 2)]) { sim in
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await sim.get("/v1/workspaces", token: SimulatorTokens.personal).status) }
            #expect(statuses == [503, 503, 200])
            #expect(sim.simulator.requestLog().map { $0.httpStatus } == [503, 503, 200])
            #expect(sim.simulator.scenario.faults.isEmpty)
        }
    }

    @Test("Rate-limit faults: 429 with code 4013, Retry-After, and 4013 inside HTTP 200")
    func rateLimits() async throws {
        let faults: [Scenario.Fault] = [
            .init(endpoint: "GET /v1/workspaces", kind: .rateLimit429, times: 1),
            .init(endpoint: "GET /v1/users/me", kind: .retryAfter, retryAfterSeconds: 0, times: 1),
            .init(endpoint: "GET /v1/audio/voices", kind: .code4013, times: 1),
        ]
        try await Self.run(faults) { sim in
            let limited = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(limited.status == 429 && limited.code == 4013)
            let retry = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(retry.status == 429 && retry.headers.first(name: "Retry-After") == "0")
            let inBody = try await sim.get("/v1/audio/voices", token: SimulatorTokens.personal)
            #expect(inBody.status == 200 && inBody.code == 4013)
        }
    }

    @Test("A fault narrowed to a credential and a page leaves other requests alone")
    func narrowed() async throws {
        let fault = Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "enterprise-pat", pageNum: 2, kind: .httpStatus, status: 502)
        try await Self.run([fault]) { sim in
            let personal = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: SimulatorTokens.personal)
            let first = try await sim.get("/v1/workspaces?page_num=1&page_size=1", token: SimulatorTokens.enterprise)
            let second = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: SimulatorTokens.enterprise)
            let statuses: [Int] = [personal.status, first.status, second.status]
            #expect(statuses == [200, 200, 502])
        }
    }

    @Test("Malformed bodies: truncated JSON, invalid JSON and an HTML page with status 200")
    func malformed() async throws {
        let faults: [Scenario.Fault] = [
            .init(endpoint: "GET /v1/workspaces", kind: .truncatedJSON, times: 1),
            .init(endpoint: "GET /v1/users/me", kind: .invalidJSON, times: 1),
            .init(endpoint: "GET /v1/audio/voices", kind: .html200, times: 1),
        ]
        try await Self.run(faults) { sim in
            let truncated = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(truncated.status == 200 && truncated.json == nil && truncated.text.hasPrefix("{\"code\":0"))
            let invalid = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(invalid.status == 200 && invalid.json == nil)
            let html = try await sim.get("/v1/audio/voices", token: SimulatorTokens.personal)
            #expect(html.status == 200 && html.text.hasPrefix("<!DOCTYPE html>"))
            #expect(html.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
        }
    }

    @Test("close_mid_body drops the connection before the announced body is complete")
    func closeMidBody() async throws {
        try await Self.run([.init(endpoint: "GET /v1/workspaces", kind: .closeMidBody, times: 1)]) { sim in
            await #expect(throws: (any Error).self) {
                _ = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            }
            let after = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(after.code == 0)
        }
    }

    @Test("Pagination faults: repeat_page, endless_has_more, duplicate_ids")
    func paginationFaults() async throws {
        let faults: [Scenario.Fault] = [
            .init(endpoint: "GET /v1/workspaces", pageNum: 2, kind: .repeatPage),
            .init(endpoint: "GET /v1/audio/voices", kind: .endlessHasMore),
            .init(endpoint: "GET /v1/bots", kind: .duplicateIDs),
        ]
        try await Self.run(faults) { sim in
            let first = try await sim.get("/v1/workspaces?page_num=1&page_size=1", token: SimulatorTokens.enterprise)
            let second = try await sim.get("/v1/workspaces?page_num=2&page_size=1", token: SimulatorTokens.enterprise)
            #expect(second.ids("workspaces") == first.ids("workspaces"))
            #expect((second.data?["total_count"] as? Int ?? 0) > 2)
            let beyond = try await sim.get("/v1/audio/voices?page_num=50", token: SimulatorTokens.personal)
            #expect(beyond.data?["has_more"] as? Bool == true)
            #expect(beyond.ids("voice_list", field: "voice_id").isEmpty)
            let bots = try await sim.get("/v1/bots?workspace_id=7400000000000000001&publish_status=all", token: SimulatorTokens.personal)
            #expect(bots.ids("items") == ["7410000000000000001", "7410000000000000002", "7410000000000000001"])
        }
    }

    @Test("token_expires_after turns the credential's token invalid after n requests")
    func tokenExpiresAfter() async throws {
        try await Self.run([.init(endpoint: "*", credential: "personal-pat", kind: .tokenExpiresAfter, after: 2)]) { sim in
            var codes: [Int] = []
            for path in ["/v1/users/me", "/v1/workspaces", "/v1/workspaces", "/v1/users/me"] {
                codes.append(try await sim.get(path, token: SimulatorTokens.personal).code ?? -1)
            }
            #expect(codes == [0, 0, 4100, 4100])
            let enterprise = try await sim.get("/v1/workspaces", token: SimulatorTokens.enterprise)
            #expect(enterprise.code == 0)
        }
    }

    @Test("slow delays the answer on the server side; latency_ms adds a fixed delay")
    func slow() async throws {
        try await Self.run([.init(endpoint: "GET /v1/users/me", kind: .slow, delayMS: 120, times: 1)]) { sim in
            let clock = ContinuousClock()
            let started = clock.now
            let reply = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply.code == 0)
            #expect(clock.now - started >= .milliseconds(120))
        }
    }

    @Test("hold parks a page until released, and a client killed meanwhile does not hurt the server")
    func hold() async throws {
        try await Self.run([.init(endpoint: "GET /v1/bots", pageNum: 2, kind: .hold, times: 2)]) { sim in
            let path = "/v1/bots?workspace_id=7400000000000000001&publish_status=all&page_size=1&page_num=2"
            async let parked = sim.get(path, token: SimulatorTokens.personal)
            await sim.simulator.waitForHeldRequests(count: 1)
            #expect(sim.simulator.heldRequests().map { $0.credential } == ["personal-pat"])
            #expect(sim.simulator.requestLog().isEmpty)
            #expect(sim.simulator.releaseHeld() == 1)
            let reply = try await parked
            #expect(reply.ids("items") == ["7410000000000000002"])

            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var request = HTTPClientRequest(url: sim.simulator.baseURL + path)
            request.headers.add(name: "Authorization", value: "Bearer \(SimulatorTokens.personal)")
            let killed = Task { try await client.execute(request, timeout: .seconds(30)) }
            await sim.simulator.waitForHeldRequests(count: 1)
            killed.cancel()
            await #expect(throws: (any Error).self) { _ = try await killed.value }
            try await client.shutdown()
            sim.simulator.releaseHeld()
            let again = try await sim.get(path, token: SimulatorTokens.personal)
            #expect(again.code == 0)
        }
    }

    @Test("Faults in scenario JSON decode by their documented names")
    func decodeNames() throws {
        let json = #"{"faults":[{"endpoint":"GET /v1/bots","kind":"rate_limit_429","times":2,"retry_after_seconds":0},{"endpoint":"*","kind":"token_expires_after","after":3,"credential":"x"}]}"#
        let scenario = try Scenario.decode(Data(json.utf8))
        #expect(scenario.faults.map { $0.kind } == [.rateLimit429, .tokenExpiresAfter])
        #expect(scenario.faults[1].after == 3)
        #expect(Set(Scenario.Fault.Kind.allCases.map { $0.rawValue }).count == 17)
    }

    @Test("rename_field, drop_page and api_error decode by their documented names and fields")
    func decodeNewFaults() throws {
        let json = #"{"faults":[{"endpoint":"GET /v1/conversations","kind":"rename_field","field":"connector_id","rename_to":"connector"},{"endpoint":"GET /v1/workspaces","kind":"drop_page","page_num":2},{"endpoint":"GET /v1/users/me","kind":"api_error","code":4101,"msg":"The token you entered is incorrect","status":403}]}"#
        let faults = try Scenario.decode(Data(json.utf8)).faults
        #expect(faults.map { $0.kind } == [.renameField, .dropPage, .apiError])
        #expect(faults[0].field == "connector_id" && faults[0].renameTo == "connector")
        #expect(faults[1].pageNum == 2)
        #expect(faults[2].code == 4101 && faults[2].message == "The token you entered is incorrect" && faults[2].status == 403)
    }

    @Test("rename_field renames the field in every list item of a successful page, and nowhere else")
    func renameField() async throws {
        let fault = Scenario.Fault(endpoint: "GET /v1/conversations", kind: .renameField, field: "connector_id", renameTo: "connector")
        try await Self.run([fault]) { sim in
            let page = try await sim.get("/v1/conversations?bot_id=7410000000000000001&connector_id=1024", token: SimulatorTokens.personal)
            let items = try #require(page.data?["conversations"] as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["connector_id"] == nil && $0["connector"] as? String == "1024" })
            let one = try await sim.get("/v1/conversation/retrieve?conversation_id=\(items[0]["id"] as? String ?? "")", token: SimulatorTokens.personal)
            #expect(one.data?["connector_id"] as? String == "1024")
            #expect(sim.simulator.requestLog().map { $0.code } == [0, 0])
        }
    }

    @Test("drop_page answers an empty list while has_more and the totals stay as they were")
    func dropPage() async throws {
        try await Self.run([.init(endpoint: "GET /v1/workspaces", pageNum: 1, kind: .dropPage, times: 1)]) { sim in
            let dropped = try await sim.get("/v1/workspaces?page_num=1&page_size=1", token: SimulatorTokens.personal)
            let normal = try await sim.get("/v1/workspaces?page_num=1&page_size=1", token: SimulatorTokens.personal)
            #expect(dropped.code == 0 && dropped.ids("workspaces").isEmpty)
            #expect(normal.ids("workspaces").count == 1)
            #expect(dropped.data?["total_count"] as? Int == normal.data?["total_count"] as? Int)
            #expect((dropped.data?["total_count"] as? Int ?? 0) > 1)
            #expect(sim.simulator.requestLog().map { $0.httpStatus } == [200, 200])
        }
    }

    @Test("api_error answers the scripted code, message and status; code_4013 can carry Retry-After")
    func apiError() async throws {
        let faults: [Scenario.Fault] = [
            .init(endpoint: "GET /v1/users/me", kind: .apiError, status: 200, times: 1, code: 4101,
                  message: "The token you entered is incorrect. Please double-check and try again."),
            .init(endpoint: "GET /v1/workspaces", kind: .code4013, retryAfterSeconds: 3, times: 1),
        ]
        try await Self.run(faults) { sim in
            let denied = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(denied.status == 200 && denied.code == 4101)
            #expect((denied.json?["msg"] as? String)?.hasPrefix("The token you entered is incorrect") == true)
            let limited = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(limited.status == 200 && limited.code == 4013 && limited.headers.first(name: "Retry-After") == "3")
            #expect(sim.simulator.requestLog().map { $0.code } == [4101, 4013])
        }
    }
}
