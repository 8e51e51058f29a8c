/// Who a bearer token acts as, whatever issued it (scenario PAT, JWT app token, OAuth token):
/// the visibility model only ever looks at these fields.
struct Principal: Sendable, Equatable {
    enum Source: String, Sendable { case credential, jwtApp = "jwt_app", oauthApp = "oauth_app" }

    /// The scenario credential / app name, used in the request log.
    var name: String
    var source: Source
    var accountID: String
    var userID: String?
    var workspaceScope: WorkspaceScope
    var deniedEndpoints: [String]
    var personalAccountGrant: String?
    var qps: Double?

    /// Accounts whose account-level resources (conversations, custom voices) this token reaches.
    var resourceAccounts: Set<String> {
        var accounts: Set<String> = [accountID]
        if let grant = personalAccountGrant, !grant.isEmpty { accounts.insert(grant) }
        return accounts
    }
}

extension Principal {
    init(_ credential: Scenario.Credential) {
        self.init(
            name: credential.name, source: .credential, accountID: credential.accountID, userID: credential.userID,
            workspaceScope: credential.workspaceScope, deniedEndpoints: credential.deniedEndpoints,
            personalAccountGrant: credential.personalAccountGrant, qps: credential.qps)
    }

    init(_ app: Scenario.JWTApp, accountID: String) {
        self.init(
            name: app.name, source: .jwtApp, accountID: accountID, userID: app.userID,
            workspaceScope: app.workspaceScope, deniedEndpoints: app.deniedEndpoints,
            personalAccountGrant: app.personalAccountGrant, qps: app.qps)
    }

    init(_ app: Scenario.OAuthApp) {
        self.init(
            name: app.name, source: .oauthApp, accountID: app.accountID, userID: app.userID,
            workspaceScope: app.workspaceScope, deniedEndpoints: app.deniedEndpoints,
            personalAccountGrant: nil, qps: app.qps)
    }
}
