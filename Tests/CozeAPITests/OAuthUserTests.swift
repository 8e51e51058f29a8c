import AsyncHTTPClient
import CozeSimulator
import Foundation
import CozeTestSupport
import Testing

@testable import CozeAPI

/// Device login, token file and refresh against the simulator's OAuth endpoints.
@Suite("OAuth user tokens")
struct OAuthUserTests {
    static let clientID = "9876543210"

    static func scenario(slowDownPolls: Int = 0, deviceTTL: Int64 = 300) throws -> Scenario {
        var scenario = try Scenario.bundled()
        scenario.oauthApps = [
            Scenario.OAuthApp(
                name: "enterprise-user", clientID: clientID, accountID: "volcano_2105850123",
                deviceCodeTTLSeconds: deviceTTL, slowDownPolls: slowDownPolls)
        ]
        return scenario
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("coze-api-test-\(UUID().uuidString).json").path
    }

    @Test("device login shows a user code, backs off on slow_down, and returns tokens once approved")
    func deviceFlow() async throws {
        try await SimulatorFixture.with(try Self.scenario(slowDownPolls: 1)) { sim in
            let simulator = sim.simulator
            // The user approves while the client waits before its third poll.
            let sleeper = RecordingSleeper { count in
                if count == 2 { for code in simulator.pendingUserCodes() { simulator.approveDeviceCode(userCode: code) } }
            }
            let login = DeviceLogin(baseURL: sim.baseURL, clientID: Self.clientID, httpClient: .shared, sleeper: sleeper)
            let authorization = try await login.start()
            #expect(authorization.userCode.count == 9)
            #expect(authorization.verificationURL.hasSuffix("?user_code=" + authorization.userCode))
            #expect(authorization.interval == 5)
            let token = try await login.waitForToken(authorization)
            #expect(token.accessToken.hasPrefix("czu_"))
            #expect(token.refreshToken != nil)
            #expect(token.expiresAt > Date())
            #expect(sleeper.sleeps.values == [.seconds(10), .seconds(10)])
            let polls = sim.log("/api/permission/oauth2/token")
            #expect(polls.count == 3)
            let user = try await sim.client(auth: StaticTokenAuth(token: token.accessToken)).currentUser()
            #expect(user.userID == "2105850000001")
        }
    }

    @Test("a denied device code ends with access_denied")
    func denied() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let simulator = sim.simulator
            let sleeper = RecordingSleeper { _ in
                for code in simulator.pendingUserCodes() { simulator.denyDeviceCode(userCode: code) }
            }
            let login = DeviceLogin(baseURL: sim.baseURL, clientID: Self.clientID, httpClient: .shared, sleeper: sleeper)
            let error = await #expect(throws: CozeAPIError.self) { try await login.waitForToken(try await login.start()) }
            #expect(error?.authErrorCode == "access_denied")
            #expect(error?.classification == .permissionDenied)
        }
    }

    @Test("an expired device code ends with expired_token")
    func expired() async throws {
        try await SimulatorFixture.with(try Self.scenario(deviceTTL: 0)) { sim in
            let login = DeviceLogin(baseURL: sim.baseURL, clientID: Self.clientID, httpClient: .shared, sleeper: RecordingSleeper())
            let error = await #expect(throws: CozeAPIError.self) { try await login.waitForToken(try await login.start()) }
            #expect(error?.authErrorCode == "expired_token")
        }
    }

    @Test("an unknown client id is refused with invalid_client")
    func unknownClient() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let login = DeviceLogin(baseURL: sim.baseURL, clientID: "nope", httpClient: .shared, sleeper: RecordingSleeper())
            let error = await #expect(throws: CozeAPIError.self) { try await login.start() }
            #expect(error?.authErrorCode == "invalid_client")
        }
    }

    @Test("an expired user token is refreshed and the file rewritten atomically with mode 0600")
    func refreshRewritesFile() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let simulator = sim.simulator
            let sleeper = RecordingSleeper { _ in for code in simulator.pendingUserCodes() { simulator.approveDeviceCode(userCode: code) } }
            let login = DeviceLogin(baseURL: sim.baseURL, clientID: Self.clientID, httpClient: .shared, sleeper: sleeper)
            let first = try await login.waitForToken(try await login.start())
            let path = Self.temporaryPath()
            defer { try? FileManager.default.removeItem(atPath: path) }
            try OAuthTokenFile.write(first, to: path)

            let clock = TestClock()
            let auth = OAuthUserAuth(clientID: Self.clientID, tokenFile: path, now: clock.closure)
            let client = sim.client(auth: auth)
            _ = try await client.currentUser()
            #expect(sim.log("/api/permission/oauth2/token").count == 2)  // the two device polls; no refresh yet
            clock.advance(by: 900)
            _ = try await client.currentUser()
            let refreshes = sim.log("/api/permission/oauth2/token")
            #expect(refreshes.count == 3)
            let stored = try OAuthTokenFile.read(path: path)
            #expect(stored.accessToken != first.accessToken)
            #expect(stored.refreshToken != first.refreshToken)
            #expect(await auth.tokenExpiry == stored.expiresAt)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
                .filter { $0.hasPrefix("." + (path as NSString).lastPathComponent) }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("an expired token without a refresh token is an auth error naming login")
    func noRefreshToken() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OAuthTokenFile.write(OAuthToken(accessToken: "czu_old", expiresAt: Date(timeIntervalSince1970: 1_700_000_000)), to: path)
        let auth = OAuthUserAuth(clientID: Self.clientID, tokenFile: path)
        let error = await #expect(throws: CozeAPIError.self) { _ = try await auth.accessToken(using: .shared, baseURL: "http://127.0.0.1:1") }
        #expect(error?.authErrorCode == "expired_token")
        #expect(error.map { !"\($0)".contains("czu_old") } == true)
    }

    @Test("a token file that is missing or not JSON is a token-file error")
    func badFile() {
        #expect(throws: OAuthTokenFile.Error.self) { try OAuthTokenFile.read(path: "/nonexistent/coze-token.json") }
    }
}

/// A bearer token used as is (for checking a freshly issued OAuth token).
struct StaticTokenAuth: CozeAuth {
    let token: String
    var fingerprint: String { "sha256:test" }
    func accessToken(using http: HTTPClient, baseURL: String) async throws -> String { token }
}
