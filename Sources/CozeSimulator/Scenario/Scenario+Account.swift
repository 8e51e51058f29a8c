import Foundation

extension Scenario {
    /// A Coze account: a personal user (UID) or an enterprise (organization id).
    public struct Account: Codable, Sendable, Equatable {
        public var id: String
        /// `personal` or `enterprise`.
        public var type: String
        public var name: String
        /// For an enterprise: the personal account that migrated into it (its `users/me` identity).
        public var personalAccountID: String?

        public init(id: String, type: String, name: String, personalAccountID: String? = nil) {
            self.id = id
            self.type = type
            self.name = name
            self.personalAccountID = personalAccountID
        }

        public var isEnterprise: Bool { type == "enterprise" }

        enum CodingKeys: String, CodingKey {
            case id, type, name
            case personalAccountID = "personal_account_id"
        }
    }

    /// A workspace belongs to one account; migrating it means changing `accountID`.
    public struct Workspace: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        /// `personal` or `team`.
        public var workspaceType: String
        public var accountID: String
        public var ownerUID: String
        public var migratedFrom: String?
        public var iconURL: String?
        public var description: String?
        public var adminUIDs: [String]?
        /// Overrides the caller's role (default: `owner` when the caller's user id is `owner_uid`, else `member`).
        public var roleType: String?

        public init(
            id: String, name: String, workspaceType: String = "team", accountID: String, ownerUID: String,
            migratedFrom: String? = nil, iconURL: String? = nil, description: String? = nil,
            adminUIDs: [String]? = nil, roleType: String? = nil
        ) {
            self.id = id
            self.name = name
            self.workspaceType = workspaceType
            self.accountID = accountID
            self.ownerUID = ownerUID
            self.migratedFrom = migratedFrom
            self.iconURL = iconURL
            self.description = description
            self.adminUIDs = adminUIDs
            self.roleType = roleType
        }

        enum CodingKeys: String, CodingKey {
            case id, name, description
            case workspaceType = "workspace_type"
            case accountID = "account_id"
            case ownerUID = "owner_uid"
            case migratedFrom = "migrated_from"
            case iconURL = "icon_url"
            case adminUIDs = "admin_uids"
            case roleType = "role_type"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let accountID = try c.decode(String.self, forKey: .accountID)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
                workspaceType: try c.decodeIfPresent(String.self, forKey: .workspaceType) ?? "team",
                accountID: accountID,
                ownerUID: try c.decodeIfPresent(String.self, forKey: .ownerUID) ?? accountID,
                migratedFrom: try c.decodeIfPresent(String.self, forKey: .migratedFrom),
                iconURL: try c.decodeIfPresent(String.self, forKey: .iconURL),
                description: try c.decodeIfPresent(String.self, forKey: .description),
                adminUIDs: try c.decodeIfPresent([String].self, forKey: .adminUIDs),
                roleType: try c.decodeIfPresent(String.self, forKey: .roleType)
            )
        }
    }
}
