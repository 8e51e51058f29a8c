/// The simulator's model of what a token sees (docs/product.md §6). The real API's behaviour after a
/// migration is not fully documented; every rule lives here so the README can point at one file.
struct Visibility {
    let scenario: Scenario
    let principal: Principal
    var index: ScenarioIndex? = nil

    /// Workspaces of the token's own account within its workspace scope.
    var workspaces: [Scenario.Workspace] {
        scenario.workspaces.filter {
            $0.accountID == principal.accountID && principal.workspaceScope.contains($0.id)
        }
    }

    /// What `total_all_joined` counts: every workspace of the accounts the token's user belongs
    /// to (the token's own account, the user's personal account, and each enterprise whose
    /// `personal_account_id` is that user), whatever the token's scope. The scenario has no
    /// membership lists, so every workspace of those accounts counts as joined.
    var joinedWorkspaces: [Scenario.Workspace] {
        let user = userID
        var accounts: Set<String> = [principal.accountID, user]
        for account in scenario.accounts where account.personalAccountID == user {
            accounts.insert(account.id)
        }
        return scenario.workspaces.filter { accounts.contains($0.accountID) }
    }

    func canList(workspaceID: String) -> Bool {
        workspaces.contains { $0.id == workspaceID }
    }

    /// The token's `users/me` identity: an explicit user id, else for an enterprise its migrated
    /// personal account's UID, else the account id itself.
    var userID: String {
        if let userID = principal.userID { return userID }
        if let account = account, account.isEnterprise, let personal = account.personalAccountID { return personal }
        return principal.accountID
    }

    var account: Scenario.Account? {
        scenario.accounts.first { $0.id == principal.accountID }
    }

    /// A bot's conversations on one connector created by the token's account (or a granted one).
    func conversations(botID: String, connectorID: String) -> [Scenario.Conversation] {
        let accounts = principal.resourceAccounts
        let candidates = index?.conversations(botID: botID, in: scenario) ?? scenario.conversations
        return candidates.filter {
            $0.botID == botID && $0.connectorID == connectorID && accounts.contains($0.accountID)
        }
    }

    /// Retrieve reaches any own (or granted) conversation, whatever its connector.
    func conversation(id: String) -> Scenario.Conversation? {
        let accounts = principal.resourceAccounts
        return scenario.conversations.first { $0.id == id && accounts.contains($0.accountID) }
    }

    /// System voices to anyone; custom voices of the token's account (and a granted one).
    var voices: [Scenario.Voice] {
        let accounts = principal.resourceAccounts
        return scenario.voices.filter { voice in
            if voice.isSystemVoice || voice.accountID == nil { return true }
            return voice.accountID.map(accounts.contains) ?? false
        }
    }
}
