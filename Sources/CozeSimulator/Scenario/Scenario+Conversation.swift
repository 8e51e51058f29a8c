extension Scenario {
    /// An API-created conversation: it belongs to the account that created it, not to the bot's
    /// workspace, which is why a workspace migration strands it.
    public struct Conversation: Codable, Sendable, Equatable {
        public var id: String
        public var botID: String
        public var accountID: String
        /// `1024` (API) or `999` (Chat SDK).
        public var connectorID: String
        public var name: String
        public var createdAt: Int64
        public var updatedAt: Int64?
        public var metaData: [String: String]?
        /// Creator's Coze UID (default: the account's user id).
        public var creatorID: String?
        public var lastSectionID: String?

        public init(
            id: String, botID: String, accountID: String, connectorID: String = "1024", name: String,
            createdAt: Int64, updatedAt: Int64? = nil, metaData: [String: String]? = nil,
            creatorID: String? = nil, lastSectionID: String? = nil
        ) {
            self.id = id
            self.botID = botID
            self.accountID = accountID
            self.connectorID = connectorID
            self.name = name
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.metaData = metaData
            self.creatorID = creatorID
            self.lastSectionID = lastSectionID
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case botID = "bot_id"
            case accountID = "account_id"
            case connectorID = "connector_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case metaData = "meta_data"
            case creatorID = "creator_id"
            case lastSectionID = "last_section_id"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                botID: try c.decode(String.self, forKey: .botID),
                accountID: try c.decode(String.self, forKey: .accountID),
                connectorID: try c.decodeIfPresent(String.self, forKey: .connectorID) ?? "1024",
                name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
                createdAt: try c.decodeIfPresent(Int64.self, forKey: .createdAt) ?? 0,
                updatedAt: try c.decodeIfPresent(Int64.self, forKey: .updatedAt),
                metaData: try c.decodeIfPresent([String: String].self, forKey: .metaData),
                creatorID: try c.decodeIfPresent(String.self, forKey: .creatorID),
                lastSectionID: try c.decodeIfPresent(String.self, forKey: .lastSectionID)
            )
        }
    }
}
