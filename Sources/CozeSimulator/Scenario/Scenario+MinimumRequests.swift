import Foundation

extension Scenario {
    /// Largest page sizes the API allows, per listing (docs/openapi.md): what a complete crawl should use.
    public static let largestPageSizes = ["GET /v1/workspaces": 50, "GET /v1/bots": 50, "GET /v1/conversations": 50,
                                          "GET /v1/audio/voices": 100, "GET /v1/apps": 50, "GET /v1/workflows": 30]

    /// How the minimum counts the listings of an endpoint a token lacks the permission point for
    /// (4101 for every parent).
    public enum DeniedEndpointCount: Sendable {
        /// One request per token and endpoint: the denial is a property of the token, so one
        /// answer is all a crawl needs in principle (the default).
        case once
        /// What a crawl that establishes the missing permission point from answers needs (spec
        /// §2b.4: 4101 for parents in two workspaces, or at account level, and no success): one
        /// listing in each of two workspaces; every listing when all its parents are in one workspace.
        case establishedInTwoWorkspaces
        /// One request per parent: a crawl that asks every parent anyway.
        case everyParent
    }

    /// The fewest requests a complete audit of this tenant needs, per scenario token (PATs and
    /// service tokens, and the JWT and OAuth apps, by name): `users/me`, then every listing the
    /// token can make — its workspaces, each workspace's bots and apps in every publish state and its
    /// workflows of each mode (`workflow`, `chatflow`), each bot's
    /// conversations on the API (1024) and Chat SDK (999) connectors, the voices in every state —
    /// at the largest page size. An empty listing still costs one request; a rejected token costs
    /// its one `users/me`, an app that is refused its token the one token request. An endpoint the
    /// token is denied costs what `denied` says (by default one request per token); its children
    /// are never listed. Token requests of apps that get a token are not counted (the auditor does
    /// not count them either).
    ///
    /// Computed from the simulator's own visibility model, not from the auditor, so a benchmark
    /// can hold the crawler to it. OAuth apps are counted as their device-login token acts.
    public func minimumAuditRequests(now: Date = Date(), denied: DeniedEndpointCount = .once) -> [String: Int] {
        let index = ScenarioIndex(self)
        let unixNow = Int64(now.timeIntervalSince1970)
        var result: [String: Int] = [:]
        for credential in credentials {
            let rejected = credential.status != "active" || (credential.expiresAt.map { $0 <= unixNow } ?? false)
            result[credential.name] = rejected ? 1 : minimumRequests(of: Principal(credential), index: index, denied: denied)
        }
        for app in jwtApps {
            guard app.authorized, let account = app.enterpriseID ?? app.accountID else {
                result[app.name] = 1
                continue
            }
            result[app.name] = minimumRequests(of: Principal(app, accountID: account), index: index, denied: denied)
        }
        for app in oauthApps {
            result[app.name] = minimumRequests(of: Principal(app), index: index, denied: denied)
        }
        return result
    }

    private func minimumRequests(of principal: Principal, index: ScenarioIndex, denied mode: DeniedEndpointCount) -> Int {
        func pages(_ items: Int, _ endpoint: String) -> Int {
            let size = Self.largestPageSizes[endpoint] ?? 50
            return max(1, (items + size - 1) / size)
        }
        /// Requests for an endpoint denied at every parent, its parents' workspaces given.
        func deniedListings(_ workspaceOfEachParent: [String]) -> Int {
            guard !workspaceOfEachParent.isEmpty else { return 0 }
            switch mode {
            case .once: return 1
            case .everyParent: return workspaceOfEachParent.count
            case .establishedInTwoWorkspaces:
                return Set(workspaceOfEachParent).count >= 2 ? 2 : workspaceOfEachParent.count
            }
        }
        let visibility = Visibility(scenario: self, principal: principal, index: index)
        let denied = Set(principal.deniedEndpoints)
        var count = 1  // users/me
        if denied.contains("GET /v1/workspaces") {
            count += 1
        } else {
            let workspaces = visibility.workspaces
            count += pages(workspaces.count, "GET /v1/workspaces")
            // Apps, and workflows once per mode, of every workspace listed.
            if denied.contains("GET /v1/apps") {
                count += deniedListings(workspaces.map(\.id))
            } else {
                for workspace in workspaces {
                    count += pages(apps.filter { $0.workspaceID == workspace.id }.count, "GET /v1/apps")
                }
            }
            if denied.contains("GET /v1/workflows") {
                count += deniedListings(workspaces.flatMap { [$0.id, $0.id] })
            } else {
                for workspace in workspaces {
                    for mode in ["workflow", "chatflow"] {
                        count += pages(workflows.filter { $0.workspaceID == workspace.id && $0.mode == mode }.count, "GET /v1/workflows")
                    }
                }
            }
            if denied.contains("GET /v1/bots") {
                count += deniedListings(workspaces.map(\.id))
            } else {
                var conversationParents: [String] = []
                for workspace in workspaces {
                    let bots = index.bots(workspaceID: workspace.id, in: self)
                    count += pages(bots.count, "GET /v1/bots")
                    for bot in bots {
                        for connector in ["1024", "999"] {
                            if denied.contains("GET /v1/conversations") {
                                conversationParents.append(workspace.id)
                            } else {
                                count += pages(visibility.conversations(botID: bot.id, connectorID: connector).count, "GET /v1/conversations")
                            }
                        }
                    }
                }
                count += deniedListings(conversationParents)
            }
        }
        count += denied.contains("GET /v1/audio/voices") ? 1 : pages(visibility.voices.count, "GET /v1/audio/voices")
        return count
    }
}
