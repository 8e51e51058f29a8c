/// An item of `GET /v1/apps` (`listApp`, docs/openapi.md §7): a Coze app (扣子应用).
/// Timestamps are unix seconds.
public struct CozeApp: CozeListItem, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var isPublished: Bool?
    /// Present only for published apps.
    public var publishedAt: Int64?
    public var updatedAt: Int64?
    /// The creator.
    public var ownerUserID: String?
    public var folderID: String?

    public init(json: JSONValue) throws {
        id = try json.requiredID("id", "app_id", in: "CozeApp")
        name = json["name"]?.stringValue
        description = json["description"]?.stringValue
        isPublished = json["is_published"]?.boolValue
        publishedAt = json["published_at"]?.int64Value
        updatedAt = json["updated_at"]?.int64Value
        ownerUserID = json["owner_user_id"]?.idString
        folderID = json["folder_id"]?.idString
    }
}

/// An item of `GET /v1/workflows` (`listWorkflow`, docs/openapi.md §7): a workflow or chatflow.
/// The docs show its times as strings; numbers are read too.
public struct CozeWorkflow: CozeListItem, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    /// The app it is built in; nil when the API answers `"0"` (a workflow of the workspace).
    public var appID: String?
    public var createdAt: Int64?
    public var updatedAt: Int64?
    public var creatorID: String?

    public init(json: JSONValue) throws {
        id = try json.requiredID("workflow_id", "id", in: "CozeWorkflow")
        name = (json["workflow_name"] ?? json["name"])?.stringValue
        description = json["description"]?.stringValue
        appID = json["app_id"]?.idString.flatMap { $0 == "0" || $0.isEmpty ? nil : $0 }
        createdAt = json["created_at"]?.int64Value
        updatedAt = json["updated_at"]?.int64Value
        creatorID = json["creator"]?["id"]?.idString
    }
}
