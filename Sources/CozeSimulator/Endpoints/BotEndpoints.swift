/// `GET /v1/bots` and the deprecated `GET /v1/space/published_bots_list`.
enum BotEndpoints {
    static let publishStatuses = ["all", "published_online", "published_draft", "unpublished_draft"]

    static func list(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let query = context.query
        let workspaceID = try query.required("workspace_id")
        let status = try query.oneOf("publish_status", publishStatuses, default: "published_online")!
        let explicitConnector = query.string("connector_id").flatMap { $0.isEmpty ? nil : $0 }
        if status == "unpublished_draft", explicitConnector != nil {
            throw .badRequest("invalid parameter: connector_id cannot be used with publish_status unpublished_draft")
        }
        let window = try query.page(numberKeys: pageNumberKeys(context.scenario), defaultSize: 20, sizeRange: 1...50)
        try context.requireListable(workspaceID: workspaceID)
        let connector = explicitConnector ?? "1024"
        let bots = context.index.bots(workspaceID: workspaceID, in: context.scenario).filter { bot in
            bot.workspaceID == workspaceID
                && listed(publishStatus: bot.publishStatus, connectorIDs: bot.connectorIDs, asked: status, connector: connector)
        }
        let page = window.slice(bots)
        return .object([
            ("items", .array(page.items.map(item))),
            ("total", .int(Int64(bots.count))),
        ])
    }

    /// Whether a bot or app in `publishStatus`, published to `connectorIDs`, is in a listing asked
    /// with `publish_status=asked`: `all` lists everything, `unpublished_draft` the drafts, any
    /// other status only what is published to `connector`.
    static func listed(publishStatus: String, connectorIDs: [String], asked: String, connector: String) -> Bool {
        switch asked {
        case "all": true
        case "unpublished_draft": publishStatus == "unpublished_draft"
        default: publishStatus == asked && connectorIDs.contains(connector)
        }
    }

    /// The page-number spellings honoured: both by default (the docs say `page_num`, cozepy
    /// sends `page_index`); `bots_page_index_only` / `bots_page_num_only` keep one, and with
    /// both on neither is read (always page 1).
    static func pageNumberKeys(_ scenario: Scenario) -> [String] {
        var keys = ["page_num", "page_index"]
        if scenario.has(.botsPageIndexOnly) { keys.removeAll { $0 == "page_num" } }
        if scenario.has(.botsPageNumOnly) { keys.removeAll { $0 == "page_index" } }
        return keys
    }

    static func item(_ bot: Scenario.Bot) -> JSONValue {
        var value: JSONValue = .object([
            ("id", .string(bot.id)),
            ("name", .string(bot.name)),
            ("description", .string(bot.description ?? "")),
            ("icon_url", .string(bot.iconURL ?? FakeCDN.icon("bot", bot.id))),
            ("is_published", .bool(bot.isPublished)),
            ("updated_at", .int(bot.updatedAt)),
        ])
        if bot.isPublished {
            value["published_at"] = .int(bot.publishedAt ?? bot.updatedAt)
        }
        value["owner_user_id"] = .string(bot.ownerUserID)
        value["folder_id"] = .string(bot.folderID ?? "")
        return value
    }

    /// Old list: API-channel published bots only, newest publication first.
    static func legacyPublishedList(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let spaceID = try context.query.required("space_id")
        let window = try context.query.page(numberKeys: ["page_index"], defaultSize: 20, sizeRange: 1...100)
        try context.requireListable(workspaceID: spaceID)
        let bots = context.scenario.bots
            .filter { $0.workspaceID == spaceID && $0.isPublished && $0.connectorIDs.contains("1024") }
            .sorted { ($0.publishedAt ?? $0.updatedAt) > ($1.publishedAt ?? $1.updatedAt) }
        let page = window.slice(bots)
        let items: [JSONValue] = page.items.map { bot in
            .object([
                ("bot_id", .string(bot.id)),
                ("bot_name", .string(bot.name)),
                ("description", .string(bot.description ?? "")),
                ("icon_url", .string(bot.iconURL ?? FakeCDN.icon("bot", bot.id))),
                ("publish_time", .string(String(bot.publishedAt ?? bot.updatedAt))),
            ])
        }
        return .object([("space_bots", .array(items)), ("total", .int(Int64(bots.count)))])
    }
}
