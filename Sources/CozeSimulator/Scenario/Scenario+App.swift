extension Scenario {
    /// A Coze app (扣子应用): a workspace-level resource, listed like bots by `GET /v1/apps`.
    public struct App: Codable, Sendable, Equatable {
        public var id: String
        public var workspaceID: String
        public var name: String
        /// `published_online`, `published_draft` or `unpublished_draft`, as for bots.
        public var publishStatus: String
        /// Channels it is published to: `1024` API, …
        public var connectorIDs: [String]
        public var ownerUserID: String
        public var updatedAt: Int64
        public var publishedAt: Int64?
        public var description: String?
        public var folderID: String?

        public init(
            id: String, workspaceID: String, name: String, publishStatus: String = "published_online",
            connectorIDs: [String] = ["1024"], ownerUserID: String, updatedAt: Int64, publishedAt: Int64? = nil,
            description: String? = nil, folderID: String? = nil
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
                folderID: try c.decodeIfPresent(String.self, forKey: .folderID))
        }
    }

    /// A workflow or chatflow: a workspace-level resource, listed by `GET /v1/workflows`; one
    /// built inside an app names it (`app_id`).
    public struct Workflow: Codable, Sendable, Equatable {
        public var id: String
        public var workspaceID: String
        public var name: String
        /// `workflow` or `chatflow`.
        public var mode: String
        /// `published_online` or `unpublished_draft`.
        public var publishStatus: String
        /// The app it belongs to; nil for a workflow of the workspace (the API answers `"0"`).
        public var appID: String?
        public var creatorID: String
        public var createdAt: Int64
        public var updatedAt: Int64
        public var description: String?

        public init(
            id: String, workspaceID: String, name: String, mode: String = "workflow", publishStatus: String = "published_online",
            appID: String? = nil, creatorID: String, createdAt: Int64, updatedAt: Int64? = nil, description: String? = nil
        ) {
            self.id = id
            self.workspaceID = workspaceID
            self.name = name
            self.mode = mode
            self.publishStatus = publishStatus
            self.appID = appID
            self.creatorID = creatorID
            self.createdAt = createdAt
            self.updatedAt = updatedAt ?? createdAt
            self.description = description
        }

        enum CodingKeys: String, CodingKey {
            case id, name, mode, description
            case workspaceID = "workspace_id"
            case publishStatus = "publish_status"
            case appID = "app_id"
            case creatorID = "creator_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                workspaceID: try c.decode(String.self, forKey: .workspaceID),
                name: try c.decode(String.self, forKey: .name),
                mode: try c.decodeIfPresent(String.self, forKey: .mode) ?? "workflow",
                publishStatus: try c.decodeIfPresent(String.self, forKey: .publishStatus) ?? "published_online",
                appID: try c.decodeIfPresent(String.self, forKey: .appID),
                creatorID: try c.decode(String.self, forKey: .creatorID),
                createdAt: try c.decodeIfPresent(Int64.self, forKey: .createdAt) ?? 0,
                updatedAt: try c.decodeIfPresent(Int64.self, forKey: .updatedAt),
                description: try c.decodeIfPresent(String.self, forKey: .description))
        }
    }
}
