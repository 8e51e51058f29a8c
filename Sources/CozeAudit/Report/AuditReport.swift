import Foundation

/// The report view model (`coze-audit.report/v1`, docs/product.md §4). Every renderer — text, JSON, HTML —
/// reads this and nothing else, so the formats cannot disagree. Additive fields only: consumers
/// ignore what they do not know.
public struct AuditReport: Codable, Sendable {
    public var schema = "coze-audit.report/v1"
    /// The coze-audit that rendered the report (additive): `0.4.0+1a2b3c4d5e6f` for a release
    /// build, `0.4.0+dev` otherwise (see ``CozeAuditVersion/tag``). Optional when decoding.
    public var toolVersion: String? = CozeAuditVersion.tag
    public var run: RunInfo
    public var credentials: [CredentialInfo]
    public var inventory: Inventory
    public var findings: [Finding]
    /// The run `new` was measured against (nil on the first complete run).
    public var previousRun: String?
    /// Every credential over the stored runs up to this one (additive).
    public var credentialHistory: [CredentialHistory] = []
    /// The run's findings counted per kind and resource type, also when `findings` holds only
    /// the first ones of each kind (see `ReportBuilder.build(findingsPerKind:)`). Not in the JSON,
    /// which always has every finding.
    public var tallies: [FindingTally] = []
    /// Listings whose pages disagreed with the server's counts (additive; not failures).
    public var listingNotes: [ListingNote] = []

    /// One listing's note: a `total_count` its pages never reached, a repeated page answered with
    /// the other page parameter.
    public struct ListingNote: Codable, Sendable, Equatable {
        public var credential: String
        public var endpoint: String
        public var params: String
        public var status: String
        public var note: String
    }

    enum CodingKeys: String, CodingKey {
        case schema, run, credentials, inventory, findings
        case listingNotes = "listing_notes"
        case previousRun = "previous_run"
        case credentialHistory = "credential_history"
        case toolVersion = "tool_version"
    }

    public struct RunInfo: Codable, Sendable {
        /// The run's number as the JSON contract spells it (a string); ``number`` for queries.
        public var id: String
        /// The run's row id (the store writes `id` from it, so it always parses).
        public var number: Int64 { Int64(id) ?? 0 }
        public var startedAt: String
        public var finishedAt: String?
        public var status: String
        public var reason: String?
        public var baseURL: String
        /// When retention deleted this run's sightings and listings (additive; absent when kept):
        /// its counts, findings and credential rows stay, its resource detail is gone.
        public var detailPrunedAt: String?

        public init(id: String, startedAt: String, finishedAt: String?, status: String, reason: String?, baseURL: String,
                    detailPrunedAt: String? = nil) {
            self.id = id
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.status = status
            self.reason = reason
            self.baseURL = baseURL
            self.detailPrunedAt = detailPrunedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, status, reason
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case baseURL = "base_url"
            case detailPrunedAt = "detail_pruned_at"
        }
    }

    public struct CredentialInfo: Codable, Sendable {
        public var name: String
        public var side: String
        public var auth: String
        public var fingerprint: String
        public var status: String
        public var userID: String?
        public var detail: String?
        public var requests: Int
        public var failedRequests: Int
        /// What this credential saw in the run, per kind (system voices excluded).
        public var sees: Inventory

        enum CodingKeys: String, CodingKey {
            case name, side, auth, fingerprint, status, detail, requests, sees
            case userID = "user_id"
            case failedRequests = "failed_requests"
        }
    }

    public struct Inventory: Codable, Sendable, Equatable {
        public var workspace = 0
        public var bot = 0
        public var conversation = 0
        public var voice = 0
        /// Apps and workflows (additive in the JSON: a database written before they were listed
        /// decodes them as 0).
        public var app = 0
        public var workflow = 0

        public init(workspace: Int = 0, bot: Int = 0, conversation: Int = 0, voice: Int = 0, app: Int = 0, workflow: Int = 0) {
            self.workspace = workspace
            self.bot = bot
            self.conversation = conversation
            self.voice = voice
            self.app = app
            self.workflow = workflow
        }

        enum CodingKeys: String, CodingKey { case workspace, bot, conversation, voice, app, workflow }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func count(_ key: CodingKeys) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
            self.init(workspace: try count(.workspace), bot: try count(.bot), conversation: try count(.conversation),
                      voice: try count(.voice), app: try count(.app), workflow: try count(.workflow))
        }

        /// The JSON kept in `run.inventory` / `run_credential.sees` for a pruned run.
        static func decode(_ text: String?) -> Inventory? {
            guard let data = text?.data(using: .utf8) else { return nil }
            return try? JSONDecoder().decode(Inventory.self, from: data)
        }

        func encoded() -> String {
            (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }

        subscript(kind: String) -> Int {
            get {
                switch kind {
                case "workspace": workspace
                case "bot": bot
                case "conversation": conversation
                case "app": app
                case "workflow": workflow
                default: voice
                }
            }
            set {
                switch kind {
                case "workspace": workspace = newValue
                case "bot": bot = newValue
                case "conversation": conversation = newValue
                case "app": app = newValue
                case "workflow": workflow = newValue
                default: voice = newValue
                }
            }
        }
    }
}
