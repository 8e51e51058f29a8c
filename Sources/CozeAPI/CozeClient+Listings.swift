/// The listings the auditor crawls, with the parameters that make the inventory complete rather
/// than what the API's defaults show (docs/product.md §3): every publish state, both connectors,
/// both workflow modes, every voice state including system voices.
extension CozeClient {
    /// The largest `page_size` each listing documents (docs/openapi.md): what a complete crawl asks
    /// for, and what `doctor` checks the server against.
    public static let documentedPageSizes: [String: Int] = [
        "/v1/workspaces": 50, "/v1/bots": 50, "/v1/apps": 50, "/v1/workflows": 30, "/v1/conversations": 50, "/v1/audio/voices": 100,
    ]

    /// `GET /v1/workspaces` (`page_size` max 50; `data.workspaces`, `total_count`).
    public func workspaces(pageSize: Int = 50) -> CozePageSequence<CozeWorkspace> {
        list(path: "/v1/workspaces", query: [], itemsKey: "workspaces", pageSize: clamp(pageSize, path: "/v1/workspaces"))
    }

    /// `GET /v1/bots` with `publish_status=all` by default (the API default lists only bots
    /// published to the API channel). `data.items`, `total`.
    public func bots(workspaceID: String, publishStatus: String = "all", pageSize: Int = 50) -> CozePageSequence<CozeBot> {
        list(
            path: "/v1/bots", query: [("workspace_id", workspaceID), ("publish_status", publishStatus)],
            itemsKey: "items", pageSize: clamp(pageSize, path: "/v1/bots"))
    }

    /// `GET /v1/apps` with `publish_status=all` (the API default lists only apps published to the
    /// API channel). `data.items`, `total`; paged by `page_num` or `page_index` (the SDKs disagree:
    /// ``PageParameterMemory``).
    public func apps(workspaceID: String, publishStatus: String = "all", pageSize: Int = 50) -> CozePageSequence<CozeApp> {
        list(
            path: "/v1/apps", query: [("workspace_id", workspaceID), ("publish_status", publishStatus)],
            itemsKey: "items", pageSize: clamp(pageSize, path: "/v1/apps"))
    }

    /// `GET /v1/workflows` of one mode (`workflow` or `chatflow`: which one the API lists without
    /// the parameter is not documented, so the auditor asks for each) with `publish_status=all`.
    /// `data.items`, `has_more`; `page_size` at most 30.
    public func workflows(workspaceID: String, mode: String, publishStatus: String = "all", pageSize: Int = 30) -> CozePageSequence<CozeWorkflow> {
        list(
            path: "/v1/workflows",
            query: [("workspace_id", workspaceID), ("workflow_mode", mode), ("publish_status", publishStatus)],
            itemsKey: "items", pageSize: clamp(pageSize, path: "/v1/workflows"))
    }

    /// `GET /v1/conversations` for one bot and connector (`1024` API, `999` Chat SDK); only the
    /// caller's own conversations come back. `data.conversations`, `has_more`.
    public func conversations(botID: String, connectorID: String, pageSize: Int = 50) -> CozePageSequence<CozeConversation> {
        list(
            path: "/v1/conversations", query: [("bot_id", botID), ("connector_id", connectorID)],
            itemsKey: "conversations", pageSize: clamp(pageSize, path: "/v1/conversations"))
    }

    /// `GET /v1/audio/voices` with `voice_state=all` and system voices included by default
    /// (`filter_system_voice=false`). `data.voice_list`, `has_more`.
    public func voices(state: String = "all", includeSystem: Bool = true, pageSize: Int = 100) -> CozePageSequence<CozeVoice> {
        list(
            path: "/v1/audio/voices",
            query: [("voice_state", state), ("filter_system_voice", includeSystem ? "false" : "true")],
            itemsKey: "voice_list", pageSize: clamp(pageSize, path: "/v1/audio/voices"))
    }

    /// Any page-number listing: the page parameter and `page_size` are appended to `query`; items
    /// are read from `data[itemsKey]`, `has_more` and `total`/`total_count` from `data`. One page
    /// parameter per request (sending both would hide which one the server honours).
    public func list<Item: CozeListItem>(
        path: String, query: [(String, String)], itemsKey: String, pageSize: Int, as: Item.Type = Item.self
    ) -> CozePageSequence<Item> {
        let client = self
        let endpoint = "GET \(path)"
        // Never more than a smaller maximum `doctor` found the server to accept.
        let pageSize = options.pageSizeLimits[path].map { min(pageSize, max(1, $0)) } ?? pageSize
        let memory = options.pageParameters
        let parameters = memory.order(for: path)
        return CozePageSequence(endpoint: endpoint, pageSize: pageSize, maxPages: options.maxPages,
                                pageParameters: parameters, learn: { memory.learn(path: path, parameter: $0) }) { pageNumber, parameter in
            let pageQuery = query + [(parameter, String(pageNumber)), ("page_size", String(pageSize))]
            let response = try await client.get(path, query: pageQuery)
            let data = response.data
            guard case .object = data else {
                throw CozeAPIError(
                    kind: .malformedBody, endpoint: endpoint, httpStatus: response.httpStatus,
                    message: "data is not an object", logID: response.logID)
            }
            let itemsValue = data[itemsKey] ?? .null
            let items: [JSONValue]?
            if itemsValue.isNull {
                items = nil
            } else if let array = itemsValue.arrayValue {
                items = array
            } else {
                throw CozeAPIError(
                    kind: .malformedBody, endpoint: endpoint, httpStatus: response.httpStatus,
                    message: "data.\(itemsKey) is not an array", logID: response.logID)
            }
            return .init(
                items: items, hasMore: data["has_more"]?.boolValue,
                total: (data["total"] ?? data["total_count"])?.intValue, logID: response.logID)
        }
    }

    /// At least 1, at most the path's documented maximum.
    private func clamp(_ pageSize: Int, path: String) -> Int { min(max(pageSize, 1), Self.documentedPageSizes[path] ?? 50) }
}
