/// `GET /v1/workspaces`: the workspaces of the caller's account within its scope
/// (`total_count` counts them, or with `total_all_joined` every workspace the user joined).
enum WorkspaceEndpoints {
    static func list(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let window = try context.query.page(defaultSize: 20, sizeRange: 1...50)
        let visibility = context.visibility
        var all = visibility.workspaces
        if let enterpriseID = context.query.string("enterprise_id"), !enterpriseID.isEmpty {
            all = all.filter { enterpriseIDOf($0, in: context.scenario) == enterpriseID }
        }
        let page = window.slice(all)
        let userID = visibility.userID
        let total = context.scenario.has(.totalAllJoined) ? visibility.joinedWorkspaces.count : all.count
        return .object([
            ("workspaces", .array(page.items.map { item($0, userID: userID, scenario: context.scenario) })),
            ("total_count", .int(Int64(total))),
        ])
    }

    /// `""` for a personal-account workspace, the enterprise id otherwise.
    static func enterpriseIDOf(_ workspace: Scenario.Workspace, in scenario: Scenario) -> String {
        let owner = scenario.accounts.first { $0.id == workspace.accountID }
        return owner?.isEnterprise == true ? workspace.accountID : ""
    }

    static func item(_ workspace: Scenario.Workspace, userID: String, scenario: Scenario) -> JSONValue {
        let role = workspace.roleType ?? (workspace.ownerUID == userID ? "owner" : "member")
        return .object([
            ("id", .string(workspace.id)),
            ("name", .string(workspace.name)),
            ("icon_url", .string(workspace.iconURL ?? FakeCDN.icon("workspace", workspace.id))),
            ("role_type", .string(role)),
            ("workspace_type", .string(workspace.workspaceType)),
            ("enterprise_id", .string(enterpriseIDOf(workspace, in: scenario))),
            ("owner_uid", .string(workspace.ownerUID)),
            ("admin_uids", .array((workspace.adminUIDs ?? [workspace.ownerUID]).map(JSONValue.string))),
            ("description", .string(workspace.description ?? "")),
            ("joined_status", "joined"),
        ])
    }
}
