/// An access or refresh token handed out by the OAuth endpoints. It stores which app issued it
/// and for which account, not the visibility fields, so that `update` on the app applies to
/// tokens already issued, like a grant clicked in the console.
struct IssuedToken: Sendable {
    var appName: String
    var source: Principal.Source
    var accountID: String
    var expiresAt: Int64

    func principal(in scenario: Scenario) -> Principal? {
        switch source {
        case .jwtApp:
            return scenario.jwtApps.first { $0.name == appName }.map { Principal($0, accountID: accountID) }
        case .oauthApp:
            return scenario.oauthApps.first { $0.name == appName }.map(Principal.init)
        case .credential:
            return scenario.credentials.first { $0.name == appName }.map(Principal.init)
        }
    }
}

/// A device code waiting for the user (or a test hook) to approve or deny it.
struct DeviceCode: Sendable {
    enum Status: Sendable { case pending, approved, denied, consumed }

    var appName: String
    var clientID: String
    var userCode: String
    var expiresAt: Int64
    var status: Status = .pending
    var polls = 0
}
