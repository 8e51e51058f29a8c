extension Scenario {
    /// A token known to the simulator (PAT or service token) with what it may see.
    public struct Credential: Codable, Sendable, Equatable {
        public var name: String
        /// `pat` (informational; every type is sent as a bearer token).
        public var type: String
        public var token: String
        public var accountID: String
        /// `active`, `expired` or `revoked`: anything but active answers 4100 everywhere.
        public var status: String
        public var workspaceScope: WorkspaceScope
        /// Endpoints this token lacks the permission point for, as `"GET /v1/audio/voices"`: 4101.
        public var deniedEndpoints: [String]
        /// A personal account id whose account-level resources this (enterprise) token was granted.
        public var personalAccountGrant: String?
        /// Overrides the `users/me` identity.
        public var userID: String?
        /// Requests per second allowed (token bucket); nil = unlimited. Over it: HTTP 429 + 4013.
        public var qps: Double?
        /// Unix time after which the token answers 4100 (per the simulator's clock).
        public var expiresAt: Int64?

        public init(
            name: String, type: String = "pat", token: String, accountID: String, status: String = "active",
            workspaceScope: WorkspaceScope = .all, deniedEndpoints: [String] = [], personalAccountGrant: String? = nil,
            userID: String? = nil, qps: Double? = nil, expiresAt: Int64? = nil
        ) {
            self.name = name
            self.type = type
            self.token = token
            self.accountID = accountID
            self.status = status
            self.workspaceScope = workspaceScope
            self.deniedEndpoints = deniedEndpoints
            self.personalAccountGrant = personalAccountGrant
            self.userID = userID
            self.qps = qps
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case name, type, token, status, qps
            case accountID = "account_id"
            case workspaceScope = "workspace_scope"
            case deniedEndpoints = "denied_endpoints"
            case personalAccountGrant = "personal_account_grant"
            case userID = "user_id"
            case expiresAt = "expires_at"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try c.decode(String.self, forKey: .name),
                type: try c.decodeIfPresent(String.self, forKey: .type) ?? "pat",
                token: try c.decode(String.self, forKey: .token),
                accountID: try c.decode(String.self, forKey: .accountID),
                status: try c.decodeIfPresent(String.self, forKey: .status) ?? "active",
                workspaceScope: try c.decodeIfPresent(WorkspaceScope.self, forKey: .workspaceScope) ?? .all,
                deniedEndpoints: try c.decodeIfPresent([String].self, forKey: .deniedEndpoints) ?? [],
                personalAccountGrant: try c.decodeIfPresent(String.self, forKey: .personalAccountGrant),
                userID: try c.decodeIfPresent(String.self, forKey: .userID),
                qps: try c.decodeIfPresent(Double.self, forKey: .qps),
                expiresAt: try c.decodeIfPresent(Int64.self, forKey: .expiresAt)
            )
        }
    }
}
