/// An access or refresh token handed out by the OAuth endpoints. It stores which app issued it
/// and for which account, not the visibility fields, so that `update` on the app applies to
/// tokens already issued, like a grant clicked in the console.
struct IssuedToken: Sendable {
    var appName: String
    var source: Principal.Source
    var accountID: String
    var expiresAt: Int64
    /// Set when the token was obtained through a workspace-bound flow (`/workspace_id/{id}/device/code`).
    var workspaceID: String? = nil

    func principal(in scenario: Scenario) -> Principal? {
        var principal: Principal?
        switch source {
        case .jwtApp:
            principal = scenario.jwtApps.first { $0.name == appName }.map { Principal($0, accountID: accountID) }
        case .oauthApp:
            principal = scenario.oauthApps.first { $0.name == appName }.map(Principal.init)
        case .credential:
            principal = scenario.credentials.first { $0.name == appName }.map(Principal.init)
        }
        if let workspaceID, var bound = principal {
            bound.workspaceScope = bound.workspaceScope.contains(workspaceID) ? .only([workspaceID]) : .only([])
            principal = bound
        }
        return principal
    }
}

/// A device code waiting for the user (or a test hook) to approve or deny it.
struct DeviceCode: Sendable {
    enum Status: Sendable { case pending, approved, denied, consumed }

    var appName: String
    var clientID: String
    var userCode: String
    var expiresAt: Int64
    var workspaceID: String?
    var status: Status = .pending
    var polls = 0
}
