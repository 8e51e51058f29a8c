import Foundation

extension Scenario {
    /// Largest page sizes the API allows, per listing (coze-api.md): what a complete crawl should use.
    public static let largestPageSizes = ["GET /v1/workspaces": 50, "GET /v1/bots": 50, "GET /v1/conversations": 50,
                                          "GET /v1/audio/voices": 100]

    /// The fewest requests a complete audit of this tenant needs, per scenario credential:
    /// `users/me`, then every listing the credential can make — its workspaces, each workspace's
    /// bots in every publish state, each bot's conversations on the API (1024) and Chat SDK (999)
    /// connectors, the voices in every state — at the largest page size. An empty or refused
    /// listing still costs one request; a rejected token costs its one `users/me`.
    ///
    /// Computed from the simulator's own visibility model, not from the auditor, so a benchmark
    /// can hold the crawler to it. JWT and OAuth apps are not included.
    public func minimumAuditRequests(now: Date = Date()) -> [String: Int] {
        let index = ScenarioIndex(self)
        let unixNow = Int64(now.timeIntervalSince1970)
        func pages(_ items: Int, _ endpoint: String) -> Int {
            let size = Self.largestPageSizes[endpoint] ?? 50
            return max(1, (items + size - 1) / size)
        }
        var result: [String: Int] = [:]
        for credential in credentials {
            let rejected = credential.status != "active" || (credential.expiresAt.map { $0 <= unixNow } ?? false)
            guard !rejected else {
                result[credential.name] = 1
                continue
            }
            let principal = Principal(credential)
            let visibility = Visibility(scenario: self, principal: principal, index: index)
            let denied = Set(principal.deniedEndpoints)
            var count = 1  // users/me
            if denied.contains("GET /v1/workspaces") {
                count += 1
            } else {
                let workspaces = visibility.workspaces
                count += pages(workspaces.count, "GET /v1/workspaces")
                for workspace in workspaces {
                    guard !denied.contains("GET /v1/bots") else {
                        count += 1
                        continue
                    }
                    let bots = index.bots(workspaceID: workspace.id, in: self)
                    count += pages(bots.count, "GET /v1/bots")
                    for bot in bots {
                        for connector in ["1024", "999"] {
                            count += denied.contains("GET /v1/conversations")
                                ? 1 : pages(visibility.conversations(botID: bot.id, connectorID: connector).count, "GET /v1/conversations")
                        }
                    }
                }
            }
            count += denied.contains("GET /v1/audio/voices") ? 1 : pages(visibility.voices.count, "GET /v1/audio/voices")
            result[credential.name] = count
        }
        return result
    }
}
