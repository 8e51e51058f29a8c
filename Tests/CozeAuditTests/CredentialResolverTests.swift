import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import Testing
import CozeTestSupport

/// Secrets come from the environment or files, are checked before anything is written, and are
/// never shown: only a fingerprint is.
@Suite("Credential resolution")
struct CredentialResolverTests {
    static let configFile = "/etc/coze/coze-audit.yaml"

    func config(_ credentials: [CredentialConfig]) -> AuditConfig {
        AuditConfig(baseURL: "https://api.coze.cn", databasePath: "/tmp/unused.sqlite", credentials: credentials, directory: "/etc/coze")
    }

    func resolver(_ environment: [String: String], warnings: Collected<String> = Collected()) -> CredentialResolver {
        CredentialResolver(environment: environment, warn: { warnings.append($0) })
    }

    @Test("a token from an environment variable resolves, trimmed")
    func environmentToken() throws {
        let resolved = try resolver(["COZE_PAT": "  tok-123\n"]).resolve(
            config([CredentialConfig(name: "personal-pat", side: .personal, auth: .pat(.env("COZE_PAT")))]), configFile: Self.configFile)
        #expect(resolved.map(\.name) == ["personal-pat"])
        #expect(resolved[0].fingerprint == "sha256:c8963414bf6c")
    }

    @Test("an unset environment variable names credentials[i] (name).pat.env")
    func missingEnvironmentVariable() {
        let credentials = [
            CredentialConfig(name: "a", side: .personal, auth: .pat(.env("A"))),
            CredentialConfig(name: "personal-pat", side: .personal, auth: .pat(.env("COZE_PERSONAL_PAT"))),
        ]
        #expect(throws: ConfigError(file: Self.configFile, line: nil, key: "credentials[1] (personal-pat).pat.env",
                                    problem: "environment variable COZE_PERSONAL_PAT is not set or empty")) {
            try resolver(["A": "x"]).resolve(config(credentials), configFile: Self.configFile)
        }
    }

    @Test("an empty or blank environment variable is refused like an unset one", arguments: ["", "   \n\t"])
    func emptyEnvironmentVariable(value: String) {
        let error = #expect(throws: ConfigError.self) {
            try resolver(["P": value]).resolve(
                config([CredentialConfig(name: "p", side: .personal, auth: .pat(.env("P")))]), configFile: Self.configFile)
        }
        #expect(error?.description == "/etc/coze/coze-audit.yaml: credentials[0] (p).pat.env: environment variable P is not set or empty")
    }

    @Test("a missing token file names credentials[i] (name).pat.file and the path")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("absent.pat")
        #expect(throws: ConfigError(file: Self.configFile, line: nil, key: "credentials[0] (old).pat.file", problem: "cannot read \(path)")) {
            try resolver([:]).resolve(config([CredentialConfig(name: "old", side: .personal, auth: .pat(.file(path)))]),
                                      configFile: Self.configFile)
        }
    }

    @Test("an empty token file is refused")
    func emptyFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("empty.pat", " \n")
        let error = #expect(throws: ConfigError.self) {
            try resolver([:]).resolve(config([CredentialConfig(name: "e", side: .personal, auth: .pat(.file(path)))]),
                                      configFile: Self.configFile)
        }
        #expect(error?.key == "credentials[0] (e).pat.file")
    }

    @Test("a token file readable by others (0644) triggers one warning; 0600 none")
    func fileModeWarning() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let open = try folder.write("open.pat", "tok-123\n", mode: 0o644)
        let closed = try folder.write("closed.pat", "tok-123\n", mode: 0o600)
        let warnings = Collected<String>()
        let resolved = try resolver([:], warnings: warnings).resolve(config([
            CredentialConfig(name: "open", side: .personal, auth: .pat(.file(open))),
            CredentialConfig(name: "closed", side: .personal, auth: .pat(.file(closed))),
        ]), configFile: Self.configFile)
        #expect(resolved.count == 2)
        #expect(warnings.values == ["\(open) is readable by group or others (mode 644); run: chmod 600 \(open)"])
    }

    @Test("a token file is trimmed: the same token with spaces and newlines has the same fingerprint")
    func fileTokenTrimmed() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let padded = try folder.write("padded.pat", "\n  tok-123 \r\n")
        let bare = try folder.write("bare.pat", "tok-123")
        let resolved = try resolver([:]).resolve(config([
            CredentialConfig(name: "padded", side: .personal, auth: .pat(.file(padded))),
            CredentialConfig(name: "bare", side: .enterprise, auth: .pat(.file(bare))),
        ]), configFile: Self.configFile)
        #expect(resolved.map(\.fingerprint) == ["sha256:c8963414bf6c", "sha256:c8963414bf6c"])
    }

    @Test("the fingerprint is sha256: plus 12 hex and never contains or reveals the token")
    func fingerprintShape() throws {
        let token = "pat_0123456789abcdef0123456789abcdef"
        let resolved = try resolver(["T": token]).resolve(
            config([CredentialConfig(name: "t", side: .personal, auth: .pat(.env("T")))]), configFile: Self.configFile)
        let fingerprint = resolved[0].fingerprint
        #expect(fingerprint.wholeMatch(of: /sha256:[0-9a-f]{12}/) != nil)
        #expect(!fingerprint.contains(token))
        #expect(!String(describing: resolved[0].auth).contains(token))
        #expect(!String(reflecting: resolved[0].auth).contains(token))
        var dumped = ""
        dump(resolved[0], to: &dumped)
        #expect(!dumped.contains(token))
    }

    // MARK: JWT apps and OAuth user tokens

    func jwt(_ keyFile: String, enterpriseID: String? = "volcano_1") -> CredentialConfig {
        CredentialConfig(name: "enterprise-app", side: .enterprise, auth: .jwt(JWTAppConfig(
            clientID: "1234567890", keyID: "kid-abc", privateKeyFile: keyFile, accountID: nil, enterpriseID: enterpriseID)))
    }

    @Test("a JWT app resolves from its PEM file with the enterprise scope; the fingerprint never contains the key")
    func jwtApp() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let pem = try folder.write("keys/app.pem", DemoAppKey.privateKeyPEM)
        let warnings = Collected<String>()
        let resolved = try resolver([:], warnings: warnings).resolve(config([jwt(pem)]), configFile: Self.configFile)
        let app = try #require(resolved.first?.auth as? JWTAppAuth)
        #expect(app.scope == .enterprise("volcano_1"))
        #expect(resolved[0].fingerprint.wholeMatch(of: /sha256:[0-9a-f]{12}/) != nil)
        #expect(warnings.values.isEmpty)
        let keyBody = DemoAppKey.privateKeyPEM.split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
        #expect(!String(describing: resolved[0].auth).contains(keyBody))
    }

    @Test("a missing or unreadable JWT private key names credentials[i] (name).jwt.private_key_file")
    func jwtMissingKey() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let absent = folder.file("absent.pem")
        #expect(throws: ConfigError(file: Self.configFile, line: nil, key: "credentials[0] (enterprise-app).jwt.private_key_file",
                                    problem: "cannot read \(absent)")) {
            try resolver([:]).resolve(config([jwt(absent)]), configFile: Self.configFile)
        }
        let garbage = try folder.write("garbage.pem", "not a key")
        #expect(throws: ConfigError(file: Self.configFile, line: nil, key: "credentials[0] (enterprise-app).jwt.private_key_file",
                                    problem: "\(garbage) is not an RSA private key in PEM form")) {
            try resolver([:]).resolve(config([jwt(garbage)]), configFile: Self.configFile)
        }
    }

    @Test("a JWT private key readable by others triggers the warning")
    func jwtKeyModeWarning() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let pem = try folder.write("app.pem", DemoAppKey.privateKeyPEM, mode: 0o644)
        let warnings = Collected<String>()
        _ = try resolver([:], warnings: warnings).resolve(config([jwt(pem)]), configFile: Self.configFile)
        #expect(warnings.values == ["\(pem) is readable by group or others (mode 644); run: chmod 600 \(pem)"])
    }

    @Test("a missing OAuth token file says to run coze-audit login")
    func oauthMissingTokenFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("enterprise-user.json")
        let credential = CredentialConfig(name: "enterprise-user", side: .enterprise,
                                          auth: .oauth(OAuthUserConfig(clientID: "9876543210", tokenFile: path)))
        #expect(throws: ConfigError(file: Self.configFile, line: nil, key: "credentials[0] (enterprise-user).oauth.token_file",
                                    problem: "\(path) does not exist; run: coze-audit login enterprise-user")) {
            try resolver([:]).resolve(config([credential]), configFile: Self.configFile)
        }
    }

    @Test("an OAuth token file readable by group or others triggers the warning; 0600 none")
    func oauthTokenFileModeWarning() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let token = #"{"access_token":"czu_x","token_type":"Bearer","expires_in":4102444800,"refresh_token":"czr_y"}"#
        for (mode, expected) in [(0o640, 1), (0o600, 0)] {
            let path = try folder.write("enterprise-user-\(String(mode, radix: 8)).json", token, mode: mode)
            let credential = CredentialConfig(name: "enterprise-user", side: .enterprise,
                                              auth: .oauth(OAuthUserConfig(clientID: "9876543210", tokenFile: path)))
            let warnings = Collected<String>()
            _ = try resolver([:], warnings: warnings).resolve(config([credential]), configFile: Self.configFile)
            #expect(warnings.values.count == expected)
            if expected == 1 {
                #expect(warnings.values == ["\(path) is readable by group or others (mode 640); run: chmod 600 \(path)"])
                #expect(!warnings.values[0].contains("czu_x") && !warnings.values[0].contains("czr_y"))
            }
        }
    }
}
