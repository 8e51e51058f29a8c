/// An item of `GET /v1/bots` (docs/openapi.md §4.1). Timestamps are unix seconds.
public struct CozeBot: CozeListItem, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var iconURL: String?
    public var isPublished: Bool?
    /// Present only for published bots.
    public var publishedAt: Int64?
    public var updatedAt: Int64?
    /// The creator.
    public var ownerUserID: String?
    public var folderID: String?

    public init(
        id: String, name: String? = nil, isPublished: Bool? = nil, publishedAt: Int64? = nil,
        updatedAt: Int64? = nil, ownerUserID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.isPublished = isPublished
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.ownerUserID = ownerUserID
    }

    public init(json: JSONValue) throws {
        id = try json.requiredID("id", "bot_id", in: "CozeBot")
        name = (json["name"] ?? json["bot_name"])?.stringValue
        description = json["description"]?.stringValue
        iconURL = json["icon_url"]?.stringValue
        isPublished = json["is_published"]?.boolValue
        publishedAt = json["published_at"]?.int64Value
        updatedAt = json["updated_at"]?.int64Value
        ownerUserID = json["owner_user_id"]?.idString
        folderID = json["folder_id"]?.idString
    }
}
