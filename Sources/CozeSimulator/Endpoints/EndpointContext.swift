/// What an OpenAPI handler gets: the scenario as it is now, the caller, and its query.
struct EndpointContext {
    let scenario: Scenario
    let principal: Principal
    let query: QueryParameters
    let index: ScenarioIndex

    var visibility: Visibility { Visibility(scenario: scenario, principal: principal, index: index) }

    /// 4101 unless the caller can list the workspace (also for unknown ids: the API does not
    /// tell a stranger whether a workspace exists).
    func requireListable(workspaceID: String) throws(APIFailure) {
        guard visibility.canList(workspaceID: workspaceID) else {
            throw .forbidden("no permission to access workspace \(workspaceID)")
        }
    }
}

/// The OpenAPI endpoints the simulator speaks, by `"METHOD /path"`.
enum OpenAPIEndpoints {
    typealias Handler = @Sendable (EndpointContext) throws(APIFailure) -> JSONValue

    static let table: [String: Handler] = [
        "GET /v1/users/me": UserEndpoints.me,
        "GET /v1/workspaces": WorkspaceEndpoints.list,
        "GET /v1/bots": BotEndpoints.list,
        "GET /v1/space/published_bots_list": BotEndpoints.legacyPublishedList,
        "GET /v1/conversations": ConversationEndpoints.list,
        "GET /v1/conversation/retrieve": ConversationEndpoints.retrieve,
        "GET /v1/audio/voices": VoiceEndpoints.list,
        "GET /v1/apps": AppWorkflowEndpoints.apps,
        "GET /v1/workflows": AppWorkflowEndpoints.workflows,
    ]
}

/// Placeholder CDN addresses shaped like Coze's, so clients store realistic URLs.
enum FakeCDN {
    static func icon(_ kind: String, _ id: String) -> String {
        "https://lf-coze-web-cdn.coze.cn/obj/coze-web-cn/\(kind)/\(id).png"
    }

    static func audio(_ id: String) -> String {
        "https://lf-bot-studio-plugin-resource.coze.cn/obj/voice/\(id).mp3?x-expires=4102444800"
    }
}
