extension Scenario {
    /// An OAuth app used with the device-code flow: the tokens act as a user (OBO), so
    /// `personal_account_grant` never applies to them (the guide: OAuth user tokens cannot be granted).
    public struct OAuthApp: Codable, Sendable, Equatable {
        public var name: String
        public var clientID: String
        public var accountID: String
        public var workspaceScope: WorkspaceScope
        public var deniedEndpoints: [String]
        public var userID: String?
        public var qps: Double?
        /// Access token lifetime (default 900 s, as documented).
        public var tokenTTLSeconds: Int64
        /// Device code lifetime (default 300 s).
        public var deviceCodeTTLSeconds: Int64
        /// How many polls of each device code answer `slow_down` before normal answers resume.
        public var slowDownPolls: Int

        public init(
            name: String, clientID: String, accountID: String, workspaceScope: WorkspaceScope = .all,
            deniedEndpoints: [String] = [], userID: String? = nil, qps: Double? = nil,
            tokenTTLSeconds: Int64 = 900, deviceCodeTTLSeconds: Int64 = 300, slowDownPolls: Int = 0
        ) {
            self.name = name
            self.clientID = clientID
            self.accountID = accountID
            self.workspaceScope = workspaceScope
            self.deniedEndpoints = deniedEndpoints
            self.userID = userID
            self.qps = qps
            self.tokenTTLSeconds = tokenTTLSeconds
            self.deviceCodeTTLSeconds = deviceCodeTTLSeconds
            self.slowDownPolls = slowDownPolls
        }

        enum CodingKeys: String, CodingKey {
            case name, qps
            case clientID = "client_id"
            case accountID = "account_id"
            case workspaceScope = "workspace_scope"
            case deniedEndpoints = "denied_endpoints"
            case userID = "user_id"
            case tokenTTLSeconds = "token_ttl_seconds"
            case deviceCodeTTLSeconds = "device_code_ttl_seconds"
            case slowDownPolls = "slow_down_polls"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try c.decode(String.self, forKey: .name),
                clientID: try c.decode(String.self, forKey: .clientID),
                accountID: try c.decode(String.self, forKey: .accountID),
                workspaceScope: try c.decodeIfPresent(WorkspaceScope.self, forKey: .workspaceScope) ?? .all,
                deniedEndpoints: try c.decodeIfPresent([String].self, forKey: .deniedEndpoints) ?? [],
                userID: try c.decodeIfPresent(String.self, forKey: .userID),
                qps: try c.decodeIfPresent(Double.self, forKey: .qps),
                tokenTTLSeconds: try c.decodeIfPresent(Int64.self, forKey: .tokenTTLSeconds) ?? 900,
                deviceCodeTTLSeconds: try c.decodeIfPresent(Int64.self, forKey: .deviceCodeTTLSeconds) ?? 300,
                slowDownPolls: try c.decodeIfPresent(Int.self, forKey: .slowDownPolls) ?? 0
            )
        }
    }
}
