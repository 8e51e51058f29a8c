import Foundation

/// The validated configuration of one audit (docs/product.md §1). Built only by `ConfigLoader`, so every
/// value here has already been checked and every path is absolute.
public struct AuditConfig: Sendable {
    public var baseURL: String
    /// Absolute path of the SQLite file.
    public var databasePath: String
    /// Requests in flight per credential.
    public var concurrency: Int
    /// Client-side request rate per credential; `nil` = unlimited.
    public var qps: Double?
    public var credentials: [CredentialConfig]
    /// Where the config file lives; relative paths in it are resolved against this folder.
    public var directory: String
    /// Findings the admin accepted, with a reason and an optional expiry.
    public var accept: [Acceptance] = []
    /// Credential chains for the fallback check; empty = personal credentials, then enterprise ones.
    public var fallback: [FallbackCheck.Chain] = []
    /// How far back `stranded` looks for earlier sightings.
    public var strandedWindowDays = 30
    /// Retries and deadlines of the HTTP client (`retries`, `request_timeout_seconds`, `run_timeout_seconds`).
    public var limits = ClientLimits()
    /// `log_level:` (trace … critical): the level of log lines on stderr. `COZE_AUDIT_LOG_LEVEL`
    /// wins; without either, nothing is logged below `error` (cron gets the summary and the causes).
    public var logLevel: String?
    /// `retention: { keep_runs, keep_days }`: applied after each run (``Retention``); nil keeps everything.
    public var retention: RetentionPolicy?
    /// `notify:`: where each run's outcome is posted (Feishu, DingTalk, WeCom, Slack, a webhook).
    public var notify: [NotifyTarget] = []

    /// The configured fallback chains, or the guide's default chain.
    public var fallbackChains: [FallbackCheck.Chain] {
        fallback.isEmpty ? [FallbackCheck.defaultChain(credentials.map { ($0.name, $0.side.rawValue) })] : fallback
    }

    public init(baseURL: String, databasePath: String, concurrency: Int = 8, qps: Double? = nil,
                credentials: [CredentialConfig], directory: String) {
        self.baseURL = baseURL
        self.databasePath = databasePath
        self.concurrency = concurrency
        self.qps = qps
        self.credentials = credentials
        self.directory = directory
    }
}

/// Which Coze account a credential acts for: the personal account or the enterprise/team.
public enum Side: String, Sendable, Codable, CaseIterable {
    case personal, enterprise
}

public struct CredentialConfig: Sendable {
    public var name: String
    public var side: Side
    public var auth: AuthConfig

    public init(name: String, side: Side, auth: AuthConfig) {
        self.name = name
        self.side = side
        self.auth = auth
    }
}

/// Where a secret comes from. Secrets never live in the YAML itself.
public enum SecretSource: Sendable, Equatable {
    case env(String)
    case file(String)
}

public enum AuthConfig: Sendable {
    case pat(SecretSource)
    case jwt(JWTAppConfig)
    case oauth(OAuthUserConfig)

    /// The `auth` value stored and reported: `pat`, `jwt` or `oauth`.
    public var kind: String {
        switch self {
        case .pat: "pat"
        case .jwt: "jwt"
        case .oauth: "oauth"
        }
    }
}

public struct JWTAppConfig: Sendable, Equatable {
    public var clientID: String
    public var keyID: String
    public var privateKeyFile: String
    public var accountID: String?
    public var enterpriseID: String?
}

public struct OAuthUserConfig: Sendable, Equatable {
    public var clientID: String
    public var tokenFile: String
}
