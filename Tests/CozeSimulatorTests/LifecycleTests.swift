import AsyncHTTPClient
import CozeSimulator
import CozeTestSupport
import Foundation
import Logging
import Testing

@Suite("Server lifecycle")
struct LifecycleTests {
    static var quiet: Logger {
        var logger = Logger(label: "coze-simulator-tests")
        logger.logLevel = .warning
        return logger
    }

    @Test("run serves on the port it reports until its task is cancelled")
    func runUntilCancelled() async throws {
        let simulator = CozeSimulator(scenario: try Scenario.bundled(), logger: Self.quiet)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = Task { try await simulator.run(host: "127.0.0.1", port: 0) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        #expect(port > 0)
        #expect(simulator.baseURL == "http://127.0.0.1:\(port)")
        let reply = try await SimulatorHarness(simulator: simulator).get("/v1/users/me", token: SimulatorTokens.personal)
        #expect(reply.code == 0)
        server.cancel()
        _ = try? await server.value
    }

    @Test("Two simulators run side by side on different ports and stop cleanly")
    func twoAtOnce() async throws {
        let first = CozeSimulator(scenario: try Scenario.bundled(), logger: Self.quiet)
        let second = CozeSimulator(scenario: Scenario.generate(workspaces: 2, botsPerWorkspace: 1, conversationsPerBot: 1, voices: 1, seed: 9), logger: Self.quiet)
        let a = try await first.start()
        let b = try await second.start()
        #expect(a != b)
        let replyA = try await SimulatorHarness(simulator: first).get("/v1/workspaces", token: SimulatorTokens.personal)
        let replyB = try await SimulatorHarness(simulator: second).get("/v1/workspaces", token: SimulatorTokens.personal)
        #expect(replyA.code == 0 && replyB.code == 0)
        await first.stop()
        await second.stop()
        #expect(first.baseURL == "")
        #expect(first.requestLog().count == 1)
    }
}
