/// An item of `GET /v1/workspaces` (docs/openapi.md §3.1).
public struct CozeWorkspace: CozeListItem, Hashable {
    public var id: String
    public var name: String?
    /// `personal` or `team`.
    public var workspaceType: String?
    /// `""` for personal-account workspaces.
    public var enterpriseID: String?
    /// The caller's role: `owner`, `admin` or `member`.
    public var roleType: String?
    public var ownerUID: String?
    public var adminUIDs: [String]?
    public var iconURL: String?
    public var description: String?
    public var joinedStatus: String?

    public init(
        id: String, name: String? = nil, workspaceType: String? = nil, enterpriseID: String? = nil,
        roleType: String? = nil, ownerUID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.workspaceType = workspaceType
        self.enterpriseID = enterpriseID
        self.roleType = roleType
        self.ownerUID = ownerUID
    }

    public init(json: JSONValue) throws {
        id = try json.requiredID("id", "workspace_id", in: "CozeWorkspace")
        name = json["name"]?.stringValue
        workspaceType = json["workspace_type"]?.stringValue
        enterpriseID = json["enterprise_id"]?.stringValue
        roleType = json["role_type"]?.stringValue
        ownerUID = json["owner_uid"]?.idString
        adminUIDs = json["admin_uids"]?.arrayValue?.compactMap { $0.idString }
        iconURL = json["icon_url"]?.stringValue
        description = json["description"]?.stringValue
        joinedStatus = json["joined_status"]?.stringValue
    }
}
