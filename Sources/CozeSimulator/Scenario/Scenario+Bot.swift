extension Scenario {
    /// A bot (workspace-level resource).
    public struct Bot: Codable, Sendable, Equatable {
        public var id: String
        public var workspaceID: String
        public var name: String
        /// `published_online`, `published_draft` or `unpublished_draft`.
        public var publishStatus: String
        /// Channels it is published to: `1024` API, `999` Chat SDK, …
        public var connectorIDs: [String]
        public var ownerUserID: String
        public var updatedAt: Int64
        public var publishedAt: Int64?
        public var description: String?
        public var iconURL: String?
        public var folderID: String?

        public init(
            id: String, workspaceID: String, name: String, publishStatus: String = "published_online",
            connectorIDs: [String] = ["1024"], ownerUserID: String, updatedAt: Int64,
            publishedAt: Int64? = nil, description: String? = nil, iconURL: String? = nil, folderID: String? = nil
        ) {
            self.id = id
            self.workspaceID = workspaceID
            self.name = name
            self.publishStatus = publishStatus
            self.connectorIDs = connectorIDs
            self.ownerUserID = ownerUserID
            self.updatedAt = updatedAt
            self.publishedAt = publishedAt
            self.description = description
            self.iconURL = iconURL
            self.folderID = folderID
        }

        public var isPublished: Bool { publishStatus != "unpublished_draft" }

        enum CodingKeys: String, CodingKey {
            case id, name, description
            case workspaceID = "workspace_id"
            case publishStatus = "publish_status"
            case connectorIDs = "connector_ids"
            case ownerUserID = "owner_user_id"
            case updatedAt = "updated_at"
            case publishedAt = "published_at"
            case iconURL = "icon_url"
            case folderID = "folder_id"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                workspaceID: try c.decode(String.self, forKey: .workspaceID),
                name: try c.decode(String.self, forKey: .name),
                publishStatus: try c.decodeIfPresent(String.self, forKey: .publishStatus) ?? "published_online",
                connectorIDs: try c.decodeIfPresent([String].self, forKey: .connectorIDs) ?? ["1024"],
                ownerUserID: try c.decode(String.self, forKey: .ownerUserID),
                updatedAt: try c.decodeIfPresent(Int64.self, forKey: .updatedAt) ?? 0,
                publishedAt: try c.decodeIfPresent(Int64.self, forKey: .publishedAt),
                description: try c.decodeIfPresent(String.self, forKey: .description),
                iconURL: try c.decodeIfPresent(String.self, forKey: .iconURL),
                folderID: try c.decodeIfPresent(String.self, forKey: .folderID)
            )
        }
    }
}
