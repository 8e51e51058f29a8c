/// One listing to perform for a credential. Jobs produce child jobs (workspaces → bots →
/// conversations), so the crawl is a work queue bounded by the credential's concurrency.
enum CrawlJob: Sendable, Hashable {
    case workspaces
    case bots(workspaceID: String)
    /// `workspaceID` is the bot's workspace: a missing permission point is established per workspace.
    case conversations(botID: String, connectorID: String, workspaceID: String)
    case voices

    /// The connectors whose conversations make up the inventory: API (1024) and Chat SDK (999).
    static let conversationConnectors = ["1024", "999"]
}
