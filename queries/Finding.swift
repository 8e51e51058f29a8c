import Foundation

/// One finding as reported. Which optional fields are present depends on the kind (docs/product.md §4);
/// nil fields are left out of the JSON. It lives with the finding kinds because each kind's
/// definition (``FindingKindDefinition``) says how its findings are shown.
public struct Finding: Codable, Sendable, Equatable {
    public var kind: String
    public var key: String
    public var severity: String
    public var resourceType: String?
    public var resourceID: String?
    /// The resource's name as the API returned it (user data: every renderer escapes it).
    public var name: String?
    /// For a bot: its workspace; for a conversation: its bot and that bot's workspace.
    public var workspace: String?
    public var bot: String?
    public var seenBy: [String]?
    public var credential: String?
    public var reason: String?
    public var endpoint: String?
    public var code: Int?
    public var exclusiveResources: Int?
    public var notObserved: [String]?
    /// Enterprise listings of this resource's kind that were refused in the run (not observed ≠ absent).
    public var enterpriseNotObserved: [String]?
    /// For `app_not_authorized` with reason `other_path_works`: the documented token path that served the token.
    public var servedBy: String?
    /// For `stranded`: the run and time a personal credential last saw it.
    public var lastSeenRun: String?
    public var lastSeen: String?
    public var new: Bool
    public var firstSeenRun: String
    public var remedy: String
    /// Set when an `accept:` entry covers this finding: it is reported but fails nothing.
    public var accepted: AcceptedInfo?
    /// The expiry date of an acceptance that no longer holds (the finding counts again).
    public var acceptanceExpired: String?

    public struct AcceptedInfo: Codable, Sendable, Equatable {
        public var reason: String
        public var expires: String?

        public init(reason: String, expires: String?) {
            self.reason = reason
            self.expires = expires
        }
    }

    /// Every field; the ones a kind does not use stay nil.
    public init(kind: String, key: String, severity: String, resourceType: String? = nil, resourceID: String? = nil,
                name: String? = nil, workspace: String? = nil, bot: String? = nil, seenBy: [String]? = nil,
                credential: String? = nil, reason: String? = nil, endpoint: String? = nil, code: Int? = nil,
                exclusiveResources: Int? = nil, notObserved: [String]? = nil, enterpriseNotObserved: [String]? = nil,
                servedBy: String? = nil, lastSeenRun: String? = nil, lastSeen: String? = nil, new: Bool,
                firstSeenRun: String, remedy: String, accepted: AcceptedInfo? = nil, acceptanceExpired: String? = nil) {
        self.kind = kind
        self.key = key
        self.severity = severity
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.name = name
        self.workspace = workspace
        self.bot = bot
        self.seenBy = seenBy
        self.credential = credential
        self.reason = reason
        self.endpoint = endpoint
        self.code = code
        self.exclusiveResources = exclusiveResources
        self.notObserved = notObserved
        self.enterpriseNotObserved = enterpriseNotObserved
        self.servedBy = servedBy
        self.lastSeenRun = lastSeenRun
        self.lastSeen = lastSeen
        self.new = new
        self.firstSeenRun = firstSeenRun
        self.remedy = remedy
        self.accepted = accepted
        self.acceptanceExpired = acceptanceExpired
    }

    enum CodingKeys: String, CodingKey {
        case kind, key, severity, name, workspace, bot, credential, reason, endpoint, code, new, remedy
        case resourceType = "resource_type"
        case resourceID = "resource_id"
        case seenBy = "seen_by"
        case exclusiveResources = "exclusive_resources"
        case notObserved = "not_observed"
        case enterpriseNotObserved = "enterprise_not_observed"
        case servedBy = "served_by"
        case lastSeenRun = "last_seen_run"
        case lastSeen = "last_seen_at"
        case firstSeenRun = "first_seen_run"
        case accepted
        case acceptanceExpired = "acceptance_expired"
    }

    /// Counts for `--fail-on` and the headline: not accepted.
    public var isOpen: Bool { accepted == nil }

    /// The one-line subject: the resource, the credential, or credential + endpoint.
    public var subject: String {
        if let resourceType, let resourceID {
            let label = name.map { " \"\($0)\"" } ?? ""
            return "\(resourceType) \(resourceID)\(label)"
        }
        if let endpoint, let credential { return "\(credential): \(endpoint)" }
        return credential ?? key
    }
}
