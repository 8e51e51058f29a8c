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

    /// Writes a configuration for a replay (`simulate --replay --write-config`): the recording's
    /// labels, sides and types with the secrets the replay accepts, JWT apps with their generated
    /// keys and the token path they asked on, OAuth users with a token file. Returns the config path.
    static func writeReplayConfig(_ credentials: [ReplayEngine.Credential], privateKeys: [String: String], baseURL: String,
                                  directory: String) throws -> String {
        func side(_ credential: ReplayEngine.Credential) -> Side { Side(rawValue: credential.side) ?? .personal }
        let jwtApps = credentials.filter { $0.auth == "jwt" }.map { app -> ExampleConfig.JWTCredential in
            let segments = (app.tokenPath ?? "").split(separator: "/").map(String.init)
            func after(_ word: String) -> String? { segments.firstIndex(of: word).flatMap { $0 + 1 < segments.count ? segments[$0 + 1] : nil } }
            return .init(name: app.label, side: side(app), clientID: app.clientID ?? "", keyID: app.keyID ?? "",
                         privateKeyPEM: privateKeys[app.label] ?? "", accountID: after("account"), enterpriseID: after("enterprise_id"))
        }
        let oauth = credentials.filter { $0.auth == "oauth" }
        let path = try ExampleConfig.writeRunnable(
            directory: directory, baseURL: baseURL,
            pats: credentials.filter { $0.auth == "pat" }.map { .init(name: $0.label, side: side($0), token: $0.token) },
            jwtApps: jwtApps,
            oauth: oauth.map { .init(name: $0.label, side: side($0), clientID: "replay") })
        for user in oauth {
            // Expired when the recorded run refreshed it (so the replayed run asks for the recorded
            // refresh), else valid for a year.
            let expiry = user.refreshRecorded ? Date(timeIntervalSince1970: 0) : Date().addingTimeInterval(365 * 86_400)
            let token = OAuthToken(accessToken: user.token, expiresAt: expiry, refreshToken: user.refreshToken)
            try OAuthTokenFile.write(token, to: directory + "/secrets/\(user.label).json")
        }
        return path
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
