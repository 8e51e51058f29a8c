import Foundation

/// A simulated Coze tenant: who exists, what they own, which tokens exist and what each may see.
///
/// It mirrors the scenario JSON one to one (documented in `Scenarios/README.md`); optional fields
/// decode with defaults so that hand-written scenarios stay short.
public struct Scenario: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    /// When true every error answers HTTP 200 with the code only in the body, as some Coze
    /// gateways do, so a client that trusts the HTTP status is caught.
    public var errorsAsHTTP200: Bool
    /// Fixed delay added to every response (generated scenarios use it for benchmarks).
    public var latencyMS: Int
    public var accounts: [Account]
    public var workspaces: [Workspace]
    public var bots: [Bot]
    public var conversations: [Conversation]
    public var voices: [Voice]
    /// Apps and workflows (workspace-level, like bots): `GET /v1/apps`, `GET /v1/workflows`.
    public var apps: [App]
    public var workflows: [Workflow]
    public var credentials: [Credential]
    public var jwtApps: [JWTApp]
    public var oauthApps: [OAuthApp]
    public var faults: [Fault]
    /// Ambiguities of the real API the simulator plays out (see `Quirk`); empty = the lenient defaults.
    public var quirks: [Quirk]

    public init(
        name: String, description: String = "", errorsAsHTTP200: Bool = false, latencyMS: Int = 0,
        accounts: [Account] = [], workspaces: [Workspace] = [], bots: [Bot] = [],
        conversations: [Conversation] = [], voices: [Voice] = [], apps: [App] = [], workflows: [Workflow] = [],
        credentials: [Credential] = [],
        jwtApps: [JWTApp] = [], oauthApps: [OAuthApp] = [], faults: [Fault] = [], quirks: [Quirk] = []
    ) {
        self.name = name
        self.description = description
        self.errorsAsHTTP200 = errorsAsHTTP200
        self.latencyMS = latencyMS
        self.accounts = accounts
        self.workspaces = workspaces
        self.bots = bots
        self.conversations = conversations
        self.voices = voices
        self.apps = apps
        self.workflows = workflows
        self.credentials = credentials
        self.jwtApps = jwtApps
        self.oauthApps = oauthApps
        self.faults = faults
        self.quirks = quirks
    }

    enum CodingKeys: String, CodingKey {
        case name, description, accounts, workspaces, bots, conversations, voices, apps, workflows, credentials, faults, quirks
        case errorsAsHTTP200 = "errors_as_http_200"
        case latencyMS = "latency_ms"
        case jwtApps = "jwt_apps"
        case oauthApps = "oauth_apps"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(String.self, forKey: .name) ?? "unnamed",
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            errorsAsHTTP200: try c.decodeIfPresent(Bool.self, forKey: .errorsAsHTTP200) ?? false,
            latencyMS: try c.decodeIfPresent(Int.self, forKey: .latencyMS) ?? 0,
            accounts: try c.decodeIfPresent([Account].self, forKey: .accounts) ?? [],
            workspaces: try c.decodeIfPresent([Workspace].self, forKey: .workspaces) ?? [],
            bots: try c.decodeIfPresent([Bot].self, forKey: .bots) ?? [],
            conversations: try c.decodeIfPresent([Conversation].self, forKey: .conversations) ?? [],
            voices: try c.decodeIfPresent([Voice].self, forKey: .voices) ?? [],
            apps: try c.decodeIfPresent([App].self, forKey: .apps) ?? [],
            workflows: try c.decodeIfPresent([Workflow].self, forKey: .workflows) ?? [],
            credentials: try c.decodeIfPresent([Credential].self, forKey: .credentials) ?? [],
            jwtApps: try c.decodeIfPresent([JWTApp].self, forKey: .jwtApps) ?? [],
            oauthApps: try c.decodeIfPresent([OAuthApp].self, forKey: .oauthApps) ?? [],
            faults: try c.decodeIfPresent([Fault].self, forKey: .faults) ?? [],
            quirks: try c.decodeIfPresent([Quirk].self, forKey: .quirks) ?? []
        )
    }
}

extension Scenario {
    /// A scenario shipped inside the module (embedded, so a copied binary needs no bundle).
    public static func bundled(_ name: String = "migrated-account") throws -> Scenario {
        guard let bytes = BundledScenarios.all[name] else {
            throw ScenarioError.unknownBundled(name, available: BundledScenarios.all.keys.sorted())
        }
        return try decode(Data(bytes), source: "bundled scenario \(name)")
    }

    /// Reads a scenario JSON file.
    public static func load(path: String) throws -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioError.unreadable(path: path, reason: error.localizedDescription)
        }
        return try decode(data, source: path)
    }

    /// Decodes scenario JSON, naming the source in the error.
    public static func decode(_ data: Data, source: String = "scenario") throws -> Scenario {
        do {
            return try JSONDecoder().decode(Scenario.self, from: data)
        } catch {
            throw ScenarioError.invalid(source: source, reason: String(describing: error))
        }
    }

    /// The scenario as pretty-printed JSON (what `simulate --generate` can write to a file).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Why a scenario could not be read; the description names the file.
public enum ScenarioError: Error, CustomStringConvertible, Sendable {
    case unknownBundled(String, available: [String])
    case unreadable(path: String, reason: String)
    case invalid(source: String, reason: String)

    public var description: String {
        switch self {
        case .unknownBundled(let name, let available):
            return "no bundled scenario named \(name) (available: \(available.joined(separator: ", ")))"
        case .unreadable(let path, let reason): return "cannot read scenario \(path): \(reason)"
        case .invalid(let source, let reason): return "invalid \(source): \(reason)"
        }
    }
}
