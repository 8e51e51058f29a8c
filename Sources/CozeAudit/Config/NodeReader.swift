import Foundation
import Yams

/// Typed access to a YAML node tree with errors that carry the key path and line number.
struct NodeReader {
    let file: String

    func error(_ node: Node?, _ key: String, _ problem: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line, key: key, problem: problem)
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func rejectUnknown(_ mapping: Node.Mapping, allowed: Set<String>, path: String) throws {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw error(key, join(path, key.string ?? "?"), "unknown key (expected one of: \(known))")
            }
        }
    }

    func string(_ mapping: Node.Mapping, _ key: String, path: String, required: Bool = false) throws -> String? {
        guard let node = mapping[key] else {
            if required { throw ConfigError(file: file, line: mapping.mark?.line, key: join(path, key), problem: "missing required key") }
            return nil
        }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty, node.null == nil else {
            throw error(node, join(path, key), "expected a non-empty string")
        }
        return scalar.string
    }

    func int(_ mapping: Node.Mapping, _ key: String, path: String, range: ClosedRange<Int>) throws -> Int? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.int, range.contains(value) else {
            throw error(node, join(path, key), "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func double(_ mapping: Node.Mapping, _ key: String, path: String, range: ClosedRange<Double>) throws -> Double? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), range.contains(value) else {
            throw error(node, join(path, key), "expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func mapping(_ node: Node, path: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw error(node, path, "expected a mapping") }
        return mapping
    }

    func credential(_ node: Node, path: String, directory: String) throws -> CredentialConfig {
        let map = try mapping(node, path: path)
        try rejectUnknown(map, allowed: ["name", "side", "pat", "jwt", "oauth"], path: path)
        let name = try string(map, "name", path: path, required: true)!
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"#, options: .regularExpression) != nil else {
            throw error(map["name"], join(path, "name"), "use letters, digits, '.', '_' or '-' (at most 64)")
        }
        let sideText = try string(map, "side", path: path, required: true)!
        guard let side = Side(rawValue: sideText) else {
            throw error(map["side"], join(path, "side"), "expected personal or enterprise, got \"\(sideText)\"")
        }
        let kinds = ["pat", "jwt", "oauth"].filter { map[$0] != nil }
        guard kinds.count == 1 else {
            throw ConfigError(file: file, line: map.mark?.line, key: path,
                              problem: kinds.isEmpty ? "needs exactly one of pat, jwt, oauth" : "has both \(kinds.joined(separator: " and ")); keep exactly one")
        }
        let authPath = join(path, kinds[0])
        let authNode = map[kinds[0]]!
        let auth: AuthConfig
        switch kinds[0] {
        case "pat":
            let pat = try mapping(authNode, path: authPath)
            try rejectUnknown(pat, allowed: ["env", "file"], path: authPath)
            let env = try string(pat, "env", path: authPath)
            let fileName = try string(pat, "file", path: authPath)
            switch (env, fileName) {
            case (let env?, nil): auth = .pat(.env(env))
            case (nil, let fileName?): auth = .pat(.file(ConfigLoader.resolve(fileName, in: directory)))
            default: throw error(authNode, authPath, "needs exactly one of env or file (the token itself never goes in the YAML)")
            }
        case "jwt":
            let jwt = try mapping(authNode, path: authPath)
            try rejectUnknown(jwt, allowed: ["client_id", "key_id", "private_key_file", "account_id", "enterprise_id"], path: authPath)
            let account = try string(jwt, "account_id", path: authPath)
            let enterprise = try string(jwt, "enterprise_id", path: authPath)
            if account != nil && enterprise != nil {
                throw error(authNode, authPath, "has both account_id and enterprise_id; keep one")
            }
            auth = .jwt(JWTAppConfig(
                clientID: try string(jwt, "client_id", path: authPath, required: true)!,
                keyID: try string(jwt, "key_id", path: authPath, required: true)!,
                privateKeyFile: ConfigLoader.resolve(try string(jwt, "private_key_file", path: authPath, required: true)!, in: directory),
                accountID: account, enterpriseID: enterprise))
        default:
            let oauth = try mapping(authNode, path: authPath)
            try rejectUnknown(oauth, allowed: ["client_id", "token_file"], path: authPath)
            auth = .oauth(OAuthUserConfig(
                clientID: try string(oauth, "client_id", path: authPath, required: true)!,
                tokenFile: ConfigLoader.resolve(try string(oauth, "token_file", path: authPath, required: true)!, in: directory)))
        }
        return CredentialConfig(name: name, side: side, auth: auth)
    }

    func acceptances(_ node: Node) throws -> [Acceptance] {
        guard case .sequence(let sequence) = node else { throw error(node, "accept", "expected a list of {key, reason, expires}") }
        return try sequence.enumerated().map { index, item in
            let path = "accept[\(index)]"
            let map = try mapping(item, path: path)
            try rejectUnknown(map, allowed: ["key", "reason", "expires"], path: path)
            let key = try string(map, "key", path: path, required: true)!
            guard key.contains(":") || key.contains("*") else {
                throw error(map["key"], join(path, "key"), "expected a finding key such as stale_pat:old-pat-2024 or a pattern with *")
            }
            let reason = try string(map, "reason", path: path, required: true)!
            var expires: String?
            if let node = map["expires"] {
                let text = node.string ?? ""
                guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil,
                      ISO8601DateFormatter().date(from: text + "T00:00:00Z") != nil else {
                    throw error(node, join(path, "expires"), "expected a date YYYY-MM-DD")
                }
                expires = text
            }
            return Acceptance(pattern: key, reason: reason, expires: expires)
        }
    }

    /// `fallback: [{name, chain: [credential, …]}]`; every name must be a configured credential.
    func fallbackChains(_ node: Node, known: Set<String>) throws -> [FallbackCheck.Chain] {
        guard case .sequence(let sequence) = node else { throw error(node, "fallback", "expected a list of {name, chain: [credential, …]}") }
        return try sequence.enumerated().map { index, item in
            let path = "fallback[\(index)]"
            let map = try mapping(item, path: path)
            try rejectUnknown(map, allowed: ["name", "chain"], path: path)
            let name = try string(map, "name", path: path, required: true)!
            guard let chainNode = map["chain"], case .sequence(let chain) = chainNode, !chain.isEmpty else {
                throw ConfigError(file: file, line: map.mark?.line, key: join(path, "chain"), problem: "expected a non-empty list of credential names")
            }
            let names = try chain.map { entry -> String in
                guard let value = entry.string, known.contains(value) else {
                    throw error(entry, join(path, "chain"), "\"\(entry.string ?? "?")\" is not a configured credential")
                }
                return value
            }
            return FallbackCheck.Chain(name: name, credentials: names)
        }
    }
}
