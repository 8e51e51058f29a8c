import CozeSimulator
import Foundation
import Testing

@Suite("OAuth device-code flow")
struct DeviceFlowTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let poll = "urn:ietf:params:oauth:grant-type:device_code"

    static func run(
        slowDownPolls: Int = 0, _ body: @Sendable @escaping (SimulatorHarness, ManualSimulatorClock) async throws -> Void
    ) async throws {
        var scenario = try Scenario.bundled()
        scenario.oauthApps = [
            .init(name: "enterprise-user", clientID: "9876543210", accountID: "volcano_2105850123", slowDownPolls: slowDownPolls)
        ]
        let clock = ManualSimulatorClock(start)
        try await SimulatorHarness.with(scenario, clock: clock) { sim in try await body(sim, clock) }
    }

    static func deviceCode(_ sim: SimulatorHarness) async throws -> (device: String, user: String) {
        let reply = try await sim.post("/api/permission/oauth2/device/code", bearer: nil, json: #"{"client_id":"9876543210"}"#)
        #expect(reply.json?["verification_uri"] is String)
        #expect(reply.json?["expires_in"] as? Int == 300)
        #expect(reply.json?["interval"] as? Int == 5)
        return (try #require(reply.json?["device_code"] as? String), try #require(reply.json?["user_code"] as? String))
    }

    static func pollBody(_ device: String) -> String {
        #"{"client_id":"9876543210","grant_type":"\#(poll)","device_code":"\#(device)"}"#
    }

    @Test("Pending until approved, then an access token (absolute expiry) and a refresh token that rotates")
    func approveAndRefresh() async throws {
        try await Self.run { sim, _ in
            let (device, user) = try await Self.deviceCode(sim)
            #expect(user.count == 9 && user.contains("-"))
            #expect(sim.simulator.pendingUserCodes() == [user])
            let pending = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(device))
            #expect(pending.json?["error_code"] as? String == "authorization_pending")
            #expect(pending.json?["error"] as? String == "authorization_pending")

            #expect(sim.simulator.approveDeviceCode(userCode: user))
            let tokens = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(device))
            let access = try #require(tokens.json?["access_token"] as? String)
            let refresh = try #require(tokens.json?["refresh_token"] as? String)
            #expect(tokens.json?["expires_in"] as? Int == 1_800_000_900)
            let me = try await sim.get("/v1/workspaces", token: access)
            #expect(me.ids("workspaces").count == 3)

            let body = #"{"client_id":"9876543210","grant_type":"refresh_token","refresh_token":"\#(refresh)"}"#
            let refreshed = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: body)
            #expect(refreshed.json?["access_token"] is String)
            #expect(refreshed.json?["refresh_token"] as? String != refresh)
            let reused = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: body)
            #expect(reused.json?["error_code"] as? String == "invalid_request")
            let log = sim.simulator.requestLog()
            #expect(log.dropLast().allSatisfy { $0.credential == "enterprise-user" })
            #expect(log.last?.credential == nil)
        }
    }

    @Test("slow_down answers the scripted number of polls first")
    func slowDown() async throws {
        try await Self.run(slowDownPolls: 2) { sim, _ in
            let (device, _) = try await Self.deviceCode(sim)
            var answers: [String] = []
            for _ in 0..<3 {
                let reply = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(device))
                answers.append(reply.json?["error_code"] as? String ?? "-")
            }
            #expect(answers == ["slow_down", "slow_down", "authorization_pending"])
        }
    }

    @Test("A denied code answers access_denied and an old one expired_token")
    func deniedAndExpired() async throws {
        try await Self.run { sim, clock in
            let first = try await Self.deviceCode(sim)
            sim.simulator.denyDeviceCode(userCode: first.user)
            let denied = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(first.device))
            #expect(denied.json?["error_code"] as? String == "access_denied")
            let second = try await Self.deviceCode(sim)
            clock.advance(by: 301)
            let expired = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(second.device))
            #expect(expired.json?["error_code"] as? String == "expired_token")
            let unknown = try await sim.post("/api/permission/oauth2/device/code", bearer: nil, json: #"{"client_id":"1"}"#)
            #expect(unknown.status == 401 && unknown.json?["error_code"] as? String == "invalid_client")
        }
    }

    @Test("OAuth user tokens never get personal-account resources")
    func noGrantForUserTokens() async throws {
        try await Self.run { sim, _ in
            let (device, user) = try await Self.deviceCode(sim)
            sim.simulator.approveDeviceCode(userCode: user)
            let tokens = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(device))
            let access = try #require(tokens.json?["access_token"] as? String)
            let voices = try await sim.get("/v1/audio/voices?filter_system_voice=true", token: access)
            #expect(voices.ids("voice_list", field: "voice_id") == ["7430000000000000004"])
        }
    }
    @Test("A workspace-bound device code yields a token that lists only that workspace")
    func workspaceBound() async throws {
        try await Self.run { sim, _ in
            let reply = try await sim.post(
                "/api/permission/oauth2/workspace_id/7400000000000000003/device/code", bearer: nil, json: #"{"client_id":"9876543210"}"#)
            let device = try #require(reply.json?["device_code"] as? String)
            sim.simulator.approveDeviceCode(userCode: try #require(reply.json?["user_code"] as? String))
            let tokens = try await sim.post("/api/permission/oauth2/token", bearer: nil, json: Self.pollBody(device))
            let access = try #require(tokens.json?["access_token"] as? String)
            let workspaces = try await sim.get("/v1/workspaces", token: access)
            #expect(workspaces.ids("workspaces") == ["7400000000000000003"])
        }
    }
}
