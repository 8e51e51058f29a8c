extension Scenario {
    /// An OAuth JWT ("AppAuth") service app: it signs JWTs with its private key and exchanges
    /// them at `/api/permission/oauth2/…/token` for `czs_` access tokens with these visibility fields.
    public struct JWTApp: Codable, Sendable, Equatable {
        public var name: String
        public var clientID: String
        public var keyID: String
        public var publicKeyPEM: String
        /// The personal account the app acts for (`/token`, `/account/{account_id}/token`).
        public var accountID: String?
        /// The enterprise the app was installed in (`/enterprise_id/{enterprise_id}/token`).
        public var enterpriseID: String?
        /// Further account ids that authorized the app through its shared link.
        public var authorizedAccountIDs: [String]
        /// False: the admin never authorized it; every token request answers `access_deny`.
        public var authorized: Bool
        /// When set, issued tokens live this long whatever `duration_seconds` asks.
        public var tokenTTLSeconds: Int64?
        public var workspaceScope: WorkspaceScope
        public var deniedEndpoints: [String]
        public var personalAccountGrant: String?
        public var userID: String?
        public var qps: Double?

        public init(
            name: String, clientID: String, keyID: String, publicKeyPEM: String, accountID: String? = nil,
            enterpriseID: String? = nil, authorizedAccountIDs: [String] = [], authorized: Bool = true,
            tokenTTLSeconds: Int64? = nil, workspaceScope: WorkspaceScope = .all, deniedEndpoints: [String] = [],
            personalAccountGrant: String? = nil, userID: String? = nil, qps: Double? = nil
        ) {
            self.name = name
            self.clientID = clientID
            self.keyID = keyID
            self.publicKeyPEM = publicKeyPEM
            self.accountID = accountID
            self.enterpriseID = enterpriseID
            self.authorizedAccountIDs = authorizedAccountIDs
            self.authorized = authorized
            self.tokenTTLSeconds = tokenTTLSeconds
            self.workspaceScope = workspaceScope
            self.deniedEndpoints = deniedEndpoints
            self.personalAccountGrant = personalAccountGrant
            self.userID = userID
            self.qps = qps
        }

        enum CodingKeys: String, CodingKey {
            case name, authorized, qps
            case clientID = "client_id"
            case keyID = "key_id"
            case publicKeyPEM = "public_key_pem"
            case accountID = "account_id"
            case enterpriseID = "enterprise_id"
            case authorizedAccountIDs = "authorized_account_ids"
            case tokenTTLSeconds = "token_ttl_seconds"
            case workspaceScope = "workspace_scope"
            case deniedEndpoints = "denied_endpoints"
            case personalAccountGrant = "personal_account_grant"
            case userID = "user_id"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try c.decode(String.self, forKey: .name),
                clientID: try c.decode(String.self, forKey: .clientID),
                keyID: try c.decode(String.self, forKey: .keyID),
                publicKeyPEM: try c.decode(String.self, forKey: .publicKeyPEM),
                accountID: try c.decodeIfPresent(String.self, forKey: .accountID),
                enterpriseID: try c.decodeIfPresent(String.self, forKey: .enterpriseID),
                authorizedAccountIDs: try c.decodeIfPresent([String].self, forKey: .authorizedAccountIDs) ?? [],
                authorized: try c.decodeIfPresent(Bool.self, forKey: .authorized) ?? true,
                tokenTTLSeconds: try c.decodeIfPresent(Int64.self, forKey: .tokenTTLSeconds),
                workspaceScope: try c.decodeIfPresent(WorkspaceScope.self, forKey: .workspaceScope) ?? .all,
                deniedEndpoints: try c.decodeIfPresent([String].self, forKey: .deniedEndpoints) ?? [],
                personalAccountGrant: try c.decodeIfPresent(String.self, forKey: .personalAccountGrant),
                userID: try c.decodeIfPresent(String.self, forKey: .userID),
                qps: try c.decodeIfPresent(Double.self, forKey: .qps)
            )
        }
    }
}
