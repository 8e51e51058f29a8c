/// `GET /v1/conversations` and `GET /v1/conversation/retrieve`: only the caller's own
/// conversations (plus a granted personal account's), per bot and connector.
enum ConversationEndpoints {
    static func list(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let query = context.query
        let botID = try query.required("bot_id")
        let window = try query.page(defaultSize: 50, sizeRange: 1...50)
        let order = try query.oneOf("sort_order", ["ASC", "DESC"], default: "DESC")!
        let connector = try query.oneOf("connector_id", ["1024", "999"], default: "1024")!
        guard let bot = context.index.bot(id: botID, in: context.scenario) else {
            throw .notFound("bot \(botID) not found")
        }
        try context.requireListable(workspaceID: bot.workspaceID)
        let conversations = context.visibility.conversations(botID: botID, connectorID: connector)
            .sorted { lhs, rhs in
                if lhs.createdAt != rhs.createdAt {
                    return order == "ASC" ? lhs.createdAt < rhs.createdAt : lhs.createdAt > rhs.createdAt
                }
                return order == "ASC" ? lhs.id < rhs.id : lhs.id > rhs.id
            }
        let page = window.slice(conversations)
        return .object([
            ("has_more", .bool(page.hasMore)),
            ("conversations", .array(page.items.map { item($0, scenario: context.scenario) })),
        ])
    }

    static func retrieve(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let id = try context.query.required("conversation_id")
        guard let conversation = context.visibility.conversation(id: id) else {
            throw .notFound("conversation \(id) not found")
        }
        return item(conversation, scenario: context.scenario)
    }

    static func item(_ conversation: Scenario.Conversation, scenario: Scenario) -> JSONValue {
        let owner = scenario.accounts.first { $0.id == conversation.accountID }
        let creator = conversation.creatorID ?? owner?.personalAccountID ?? conversation.accountID
        let meta = (conversation.metaData ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        return .object([
            ("id", .string(conversation.id)),
            ("name", .string(conversation.name)),
            ("meta_data", .object(meta)),
            ("creator_id", .string(creator)),
            ("connector_id", .string(conversation.connectorID)),
            ("created_at", .int(conversation.createdAt)),
            ("updated_at", .int(conversation.updatedAt ?? conversation.createdAt)),
            ("last_section_id", .string(conversation.lastSectionID ?? conversation.id)),
        ])
    }
}
