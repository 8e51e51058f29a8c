import CozeAPI
import Foundation
import Yams

/// One entry of `notify:` in the configuration: where a run's outcome is posted.
public struct NotifyTarget: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case feishu, dingtalk, wecom, slack, webhook

        /// Only Feishu and DingTalk custom bots sign their messages.
        var signs: Bool { self == .feishu || self == .dingtalk }
    }

    /// When a run is worth a message; the meanings of `--fail-on`.
    public enum When: String, Sendable, CaseIterable {
        /// A new finding that is not accepted, or a run that is not complete (the default).
        case new
        /// Any finding that is not accepted, or a run that is not complete.
        case any
        /// Every run.
        case always
    }

    public var kind: Kind
    /// The webhook URL: a secret too (its path or query holds the bot's token).
    public var url: SecretSource
    /// The signing secret (Feishu, DingTalk), optional.
    public var secret: SecretSource?
    public var when: When
    /// A link to the report, added to every message when given.
    public var reportURL: String?
    /// `notify[i]`, for error messages.
    public var index: Int

    public init(kind: Kind, url: SecretSource, secret: SecretSource? = nil, when: When = .new, reportURL: String? = nil, index: Int = 0) {
        self.kind = kind
        self.url = url
        self.secret = secret
        self.when = when
        self.reportURL = reportURL
        self.index = index
    }
}

extension NodeReader {
    /// `notify: [{type, url, secret, when, report_url}]` (optional).
    func notifyTargets(_ top: Node.Mapping, directory: String) throws -> [NotifyTarget] {
        guard let node = top["notify"] else { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(node, "notify", "expected a list of targets (type: feishu | dingtalk | wecom | slack | webhook, url: {env: …})")
        }
        return try sequence.enumerated().map { index, entry in
            let path = "notify[\(index)]"
            let map = try mapping(entry, path: path)
            try rejectUnknown(map, allowed: ["type", "url", "secret", "when", "report_url"], path: path)
            let typeText = try string(map, "type", path: path, required: true)!
            guard let kind = NotifyTarget.Kind(rawValue: typeText) else {
                throw error(map["type"], join(path, "type"),
                            "expected one of \(NotifyTarget.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(typeText)\"")
            }
            guard let urlNode = map["url"] else {
                throw ConfigError(file: file, line: map.mark?.line, key: join(path, "url"), problem: "missing required key")
            }
            let url = try secretSource(urlNode, path: join(path, "url"), directory: directory,
                                       what: "the webhook URL holds the bot's token: give {env: NAME} or {file: PATH}")
            let secret = try map["secret"].map { node in
                try secretSource(node, path: join(path, "secret"), directory: directory, what: "the signing secret: give {env: NAME} or {file: PATH}")
            }
            if secret != nil, !kind.signs {
                throw error(map["secret"], join(path, "secret"), "only feishu and dingtalk bots sign their messages")
            }
            let whenText = try string(map, "when", path: path) ?? "new"
            guard let when = NotifyTarget.When(rawValue: whenText) else {
                throw error(map["when"], join(path, "when"), "expected new, any or always, got \"\(whenText)\"")
            }
            let reportURL = try string(map, "report_url", path: path)
            if let reportURL {
                guard let parsed = URL(string: reportURL), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                    throw error(map["report_url"], join(path, "report_url"), "expected an http(s) URL")
                }
            }
            return NotifyTarget(kind: kind, url: url, secret: secret, when: when, reportURL: reportURL, index: index)
        }
    }

    /// `{env: NAME}` or `{file: PATH}`; a plain string is refused (a secret never lives in the YAML).
    func secretSource(_ node: Node, path: String, directory: String, what: String) throws -> SecretSource {
        guard case .mapping(let map) = node else { throw error(node, path, what) }
        try rejectUnknown(map, allowed: ["env", "file"], path: path)
        switch (try string(map, "env", path: path), try string(map, "file", path: path)) {
        case (let env?, nil): return .env(env)
        case (nil, let file?): return .file(ConfigLoader.resolve(file, in: directory))
        default: throw error(node, path, what)
        }
    }
}

/// A notify target with its secrets read: the URL and signing secret exist only in memory.
public struct ResolvedNotifyTarget: Sendable {
    public var target: NotifyTarget
    var url: String
    var secret: String?

    /// `feishu (open.feishu.cn)`: what stderr and the database may say about a target. Never the
    /// URL's path or query, which hold the bot's token.
    public var label: String { "\(target.kind.rawValue) (\(host))" }

    public var host: String {
        guard let components = URLComponents(string: url), let host = components.host else { return "invalid URL" }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// Identifies the target across runs without its token: the type and the URL's fingerprint.
    var id: String { target.kind.rawValue + ":" + Fingerprint.of(url) }
}

extension CredentialResolver {
    /// Reads each target's URL and signing secret (environment or file, with the permission warning
    /// of token files). A URL that is not http(s) is a configuration error naming the key, not the URL.
    public func resolve(_ targets: [NotifyTarget], configFile: String) throws -> [ResolvedNotifyTarget] {
        try targets.map { target in
            let path = "notify[\(target.index)] (\(target.kind.rawValue))"
            let url = try secret(target.url, key: "\(path).url", file: configFile)
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigError(file: configFile, line: nil, key: "\(path).url", problem: "the webhook URL is not an http(s) URL")
            }
            let secret = try target.secret.map { try self.secret($0, key: "\(path).secret", file: configFile) }
            return ResolvedNotifyTarget(target: target, url: url, secret: secret)
        }
    }
}
