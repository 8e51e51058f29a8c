/// One listing to perform for a credential. Jobs produce child jobs (workspaces → bots →
/// conversations), so the crawl is a work queue bounded by the credential's concurrency.
enum CrawlJob: Sendable, Hashable {
    case workspaces
    case bots(workspaceID: String)
    /// `workspaceID` is the bot's workspace: a missing permission point is established per workspace.
    case conversations(botID: String, connectorID: String, workspaceID: String)
    case voices
    /// Apps and workflows are listed per workspace, like bots (issue 18).
    case apps(workspaceID: String)
    case workflows(workspaceID: String, mode: String)

    /// The connectors whose conversations make up the inventory: API (1024) and Chat SDK (999).
    static let conversationConnectors = ["1024", "999"]

    /// The workflow modes listed: which one `GET /v1/workflows` answers without `workflow_mode` is
    /// not documented, so each is asked for.
    static let workflowModes = ["workflow", "chatflow"]

    /// What a listed workspace adds: its bots, its apps, its workflows of each mode.
    static func children(ofWorkspace workspaceID: String) -> [CrawlJob] {
        [.bots(workspaceID: workspaceID), .apps(workspaceID: workspaceID)]
            + workflowModes.map { .workflows(workspaceID: workspaceID, mode: $0) }
    }
}
