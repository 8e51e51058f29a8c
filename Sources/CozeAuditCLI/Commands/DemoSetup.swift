import AsyncHTTPClient
import CozeAPI
import CozeAudit
import CozeSimulator
import Foundation

/// Glue between a simulator scenario and a runnable configuration: the scenario's PATs become
/// token files, its JWT apps get the simulator's demo key, its OAuth apps a token file filled by
/// a device login that the demo approves itself. Accounts decide the side.
enum DemoSetup {
    static func side(_ accountID: String, in scenario: Scenario) -> Side {
        scenario.accounts.first { $0.id == accountID }?.isEnterprise == true ? .enterprise : .personal
    }

    /// Writes `coze-audit.yaml`, token files and the JWT keys; returns the config path.
    /// `includeOAuth`: OAuth credentials need a login first (`demo` does it; `simulate` cannot).
    static func writeConfig(for scenario: Scenario, baseURL: String, directory: String, includeOAuth: Bool = false) throws -> String {
        try ExampleConfig.writeRunnable(
            directory: directory, baseURL: baseURL,
            pats: scenario.credentials.map { .init(name: $0.name, side: side($0.accountID, in: scenario), token: $0.token) },
            jwtApps: scenario.jwtApps.map { app in
                .init(name: app.name, side: app.enterpriseID != nil ? .enterprise : .personal, clientID: app.clientID,
                      keyID: app.keyID, privateKeyPEM: DemoAppKey.privateKeyPEM, accountID: app.enterpriseID == nil ? app.accountID : nil,
                      enterpriseID: app.enterpriseID)
            },
            oauth: includeOAuth ? scenario.oauthApps.map { .init(name: $0.name, side: side($0.accountID, in: scenario), clientID: $0.clientID) } : [])
    }

    /// Runs the real device-code login for every OAuth app, approving each code in the simulator
    /// the moment it is issued (what a user does in the browser), and writes the token files.
    static func loginOAuthApps(_ scenario: Scenario, simulator: CozeSimulator, baseURL: String, directory: String) async throws {
        guard !scenario.oauthApps.isEmpty else { return }
        let httpClient = CozeHTTPClient.make()
        do {
            for app in scenario.oauthApps {
                let login = DeviceLogin(baseURL: baseURL, clientID: app.clientID, httpClient: httpClient, sleeper: ImmediateSleeper())
                let authorization = try await login.start()
                _ = simulator.approveDeviceCode(userCode: authorization.userCode)
                let token = try await login.waitForToken(authorization)
                try OAuthTokenFile.write(token, to: directory + "/secrets/\(app.name).json")
            }
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    /// The demo approves device codes itself, so there is nothing to wait for.
    struct ImmediateSleeper: CozeSleeper {
        func sleep(for duration: Duration) async throws {}
    }
}
