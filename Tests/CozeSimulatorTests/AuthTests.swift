import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Authentication and permission points")
struct AuthTests {
    @Test("An expired PAT answers 4100 on every endpoint and is logged under its name")
    func expiredToken() async throws {
        try await SimulatorHarness.with { sim in
            for path in ["/v1/users/me", "/v1/workspaces", "/v1/audio/voices"] {
                let reply = try await sim.get(path, token: SimulatorTokens.expired)
                #expect(reply.status == 401)
                #expect(reply.code == 4100)
                #expect(reply.json?["msg"] as? String == "authentication is invalid")
                #expect(reply.json?["data"] == nil)
            }
            #expect(sim.simulator.requestLog().allSatisfy { $0.credential == "old-pat-2024" })
        }
    }

    @Test("A missing Authorization header answers 4100")
    func missingHeader() async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get("/v1/workspaces", token: nil)
            #expect(reply.status == 401)
            #expect(reply.code == 4100)
        }
    }

    @Test("An endpoint in denied_endpoints answers 4101 with HTTP 403")
    func deniedEndpoint() async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get("/v1/audio/voices", token: SimulatorTokens.enterprise)
            #expect(reply.status == 403)
            #expect(reply.code == 4101)
            let other = try await sim.get("/v1/workspaces", token: SimulatorTokens.enterprise)
            #expect(other.code == 0)
        }
    }

    @Test("errors_as_http_200 answers every error with HTTP 200 and the code in the body")
    func errorsAsHTTP200() async throws {
        var scenario = try Scenario.bundled()
        scenario.errorsAsHTTP200 = true
        try await SimulatorHarness.with(scenario) { sim in
            let expired = try await sim.get("/v1/workspaces", token: SimulatorTokens.expired)
            #expect(expired.status == 200 && expired.code == 4100)
            let denied = try await sim.get("/v1/audio/voices", token: SimulatorTokens.enterprise)
            #expect(denied.status == 200 && denied.code == 4101)
            let bad = try await sim.get("/v1/workspaces?page_size=51", token: SimulatorTokens.personal)
            #expect(bad.status == 200 && bad.code == 4000)
        }
    }

    @Test("A PAT whose expires_at has passed on the injected clock answers 4100")
    func expiresAtClock() async throws {
        let clock = ManualSimulatorClock(Date(timeIntervalSince1970: 1_800_000_000))
        var scenario = try Scenario.bundled()
        scenario.credentials[0].expiresAt = 1_800_000_060
        try await SimulatorHarness.with(scenario, clock: clock) { sim in
            let reply1 = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply1.code == 0)
            clock.advance(by: 61)
            let reply2 = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply2.code == 4100)
        }
    }
}
