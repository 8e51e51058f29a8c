/// An item of `GET /v1/conversations` or the result of `/v1/conversation/retrieve` (docs/openapi.md §5.1).
public struct CozeConversation: CozeListItem, Hashable {
    public var id: String
    public var name: String?
    /// The Coze UID of the creator; conversations belong to the account, not the workspace.
    public var creatorID: String?
    /// `1024` (API) or `999` (Chat SDK).
    public var connectorID: String?
    public var createdAt: Int64?
    public var updatedAt: Int64?
    public var lastSectionID: String?
    public var metaData: [String: String]?

    public init(
        id: String, name: String? = nil, creatorID: String? = nil, connectorID: String? = nil,
        createdAt: Int64? = nil, updatedAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.creatorID = creatorID
        self.connectorID = connectorID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(json: JSONValue) throws {
        id = try json.requiredID("id", in: "CozeConversation")
        name = json["name"]?.stringValue
        creatorID = json["creator_id"]?.idString
        connectorID = json["connector_id"]?.idString
        createdAt = json["created_at"]?.int64Value
        updatedAt = json["updated_at"]?.int64Value
        lastSectionID = json["last_section_id"]?.idString
        metaData = json["meta_data"]?.stringMap
    }
}
