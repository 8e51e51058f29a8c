import Foundation
import Yams

/// Reads `coze-audit.yaml` through Yams' node tree (not `Decodable`) so that every error can
/// name the exact key path and line, and unknown keys are rejected instead of ignored.
public enum ConfigLoader {
    static let topLevelKeys = Set<String>(["base_url", "database", "concurrency", "qps", "credentials", "accept", "fallback", "stranded_window_days", "notify"])
        .union(NodeReader.limitKeys).union(NodeReader.operatorKeys)

    public static func load(path: String) throws -> AuditConfig {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "cannot read the config file (run `coze-audit init` to write an example)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "the config file is not UTF-8 text")
        }
        return try parse(text, file: path, directory: url.deletingLastPathComponent().path)
    }

    public static func parse(_ text: String, file: String, directory: String) throws -> AuditConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: yamlLine(error), key: "", problem: "YAML syntax error: \(yamlSummary(error))")
        }
        let reader = NodeReader(file: file)
        guard let root, let top = root.mapping else {
            throw ConfigError(file: file, line: root?.mark?.line, key: "", problem: "expected a mapping with base_url, database and credentials")
        }
        try reader.rejectUnknown(top, allowed: topLevelKeys, path: "")
        let baseURL = try reader.string(top, "base_url", path: "", required: true)!
        guard let parsed = URL(string: baseURL), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw reader.error(top["base_url"], "base_url", "expected an http(s) URL such as https://api.coze.cn")
        }
        // The tool appends /v1/… and /api/permission/… itself: a base URL that already ends in an API
        // segment doubles it, and every answer is then a gateway page. Other paths stay allowed (a
        // company proxy may mount the API under one).
        let lastSegment = parsed.path.split(separator: "/").last.map { $0.lowercased() }
        if let lastSegment, ["v1", "v3", "api"].contains(lastSegment) {
            throw reader.error(top["base_url"], "base_url",
                               "ends in /\(lastSegment): give the site without the API path, e.g. https://api.coze.cn (coze-audit adds /v1/… itself)")
        }
        let database = try reader.string(top, "database", path: "", required: true)!
        let concurrency = try reader.int(top, "concurrency", path: "", range: 1...64) ?? 8
        let qps = try reader.double(top, "qps", path: "", range: 0.1...10_000)
        guard let credentialsNode = top["credentials"] else {
            throw ConfigError(file: file, line: root.mark?.line, key: "credentials", problem: "missing required key")
        }
        guard case .sequence(let sequence) = credentialsNode, !sequence.isEmpty else {
            throw reader.error(credentialsNode, "credentials", "expected a non-empty list of credentials")
        }
        var credentials: [CredentialConfig] = []
        var seen: [String: Int] = [:]
        for (index, node) in sequence.enumerated() {
            let credential = try reader.credential(node, path: "credentials[\(index)]", directory: directory)
            if let first = seen[credential.name] {
                throw reader.error(node, "credentials[\(index)].name", "duplicate name \"\(credential.name)\" (also credentials[\(first)])")
            }
            seen[credential.name] = index
            credentials.append(credential)
        }
        var config = AuditConfig(
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL,
            databasePath: resolve(database, in: directory),
            concurrency: concurrency, qps: qps, credentials: credentials, directory: directory)
        if let accept = top["accept"] {
            config.accept = try reader.acceptances(accept)
        }
        if let fallback = top["fallback"] {
            config.fallback = try reader.fallbackChains(fallback, known: Set(credentials.map(\.name)))
        }
        config.strandedWindowDays = try reader.int(top, "stranded_window_days", path: "", range: 1...3650) ?? 30
        config.limits = try reader.clientLimits(top)
        config.logLevel = try reader.logLevel(top)
        config.retention = try reader.retention(top)
        config.notify = try reader.notifyTargets(top, directory: directory)
        return config
    }

    public static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): mark.line
        case .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    private static func yamlSummary(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated key \(duplicates.joined(separator: ", "))"
        default: String(describing: error).split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        }
    }
}
