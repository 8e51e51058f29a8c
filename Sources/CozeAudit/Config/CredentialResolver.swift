import CozeAPI
import Foundation

/// A configured credential whose secret has been read: ready to authenticate. Built before
/// anything is written, so a missing token is a config error (exit 2) and never a failed run.
public struct ResolvedCredential: Sendable {
    public var config: CredentialConfig
    public var auth: any CozeAuth
    public var name: String { config.name }
    public var fingerprint: String { auth.fingerprint }
}

/// Reads secrets from the environment or files. Secrets exist only in memory: the resolved
/// credential exposes a fingerprint and never prints its token.
public struct CredentialResolver: Sendable {
    public var environment: [String: String]
    /// Receives one-line warnings (e.g. a token file readable by other users).
    public var warn: @Sendable (String) -> Void

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                warn: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) {
        self.environment = environment
        self.warn = warn
    }

    public func resolve(_ config: AuditConfig, configFile: String) throws -> [ResolvedCredential] {
        try config.credentials.enumerated().map { index, credential in
            let path = "credentials[\(index)] (\(credential.name))"
            switch credential.auth {
            case .pat(let source):
                let token = try secret(source, key: "\(path).pat", file: configFile)
                return ResolvedCredential(config: credential, auth: PATAuth(token: token))
            case .jwt(let jwt):
                let key = "\(path).jwt.private_key_file"
                let pem = try readSecretFile(jwt.privateKeyFile, key: key, configFile: configFile)
                let scope: JWTTokenScope = jwt.enterpriseID.map { .enterprise($0) } ?? jwt.accountID.map { .account($0) } ?? .own
                do {
                    let auth = try JWTAppAuth(clientID: jwt.clientID, keyID: jwt.keyID, privateKeyPEM: pem, scope: scope)
                    return ResolvedCredential(config: credential, auth: auth)
                } catch {
                    throw ConfigError(file: configFile, line: nil, key: key, problem: "\(jwt.privateKeyFile) is not an RSA private key in PEM form")
                }
            case .oauth(let oauth):
                let key = "\(path).oauth.token_file"
                guard FileManager.default.fileExists(atPath: oauth.tokenFile) else {
                    throw ConfigError(file: configFile, line: nil, key: key,
                                      problem: "\(oauth.tokenFile) does not exist; run: coze-audit login \(credential.name)")
                }
                _ = try readSecretFile(oauth.tokenFile, key: key, configFile: configFile)
                return ResolvedCredential(config: credential, auth: OAuthUserAuth(clientID: oauth.clientID, tokenFile: oauth.tokenFile))
            }
        }
    }

    func secret(_ source: SecretSource, key: String, file: String) throws -> String {
        switch source {
        case .env(let variable):
            guard let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw ConfigError(file: file, line: nil, key: "\(key).env", problem: "environment variable \(variable) is not set or empty")
            }
            return value
        case .file(let path):
            return try readSecretFile(path, key: "\(key).file", configFile: file)
        }
    }

    /// Reads a secret file, warning when group or others may read it (a token is a password).
    func readSecretFile(_ path: String, key: String, configFile: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: configFile, line: nil, key: key, problem: "cannot read \(path)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            warn("\(path) is readable by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw ConfigError(file: configFile, line: nil, key: key, problem: "\(path) is empty")
        }
        return value
    }
}
