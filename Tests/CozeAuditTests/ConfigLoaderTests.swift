@testable import CozeAudit
import Foundation
import Testing
import CozeTestSupport

/// Spec §1: one YAML file; unknown and missing keys are errors naming the key and the line.
@Suite("Config loading")
struct ConfigLoaderTests {
    static let file = "coze-audit.yaml"

    func parse(_ yaml: String) throws -> AuditConfig {
        try ConfigLoader.parse(yaml, file: Self.file, directory: "/etc/coze")
    }

    /// The error of an invalid config, or nil (and a recorded failure) when it parses.
    func error(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try parse(yaml) }
    }

    static let header = """
        base_url: https://api.coze.cn
        database: audit.sqlite

        """

    @Test("a config with PAT (env and file), JWT (enterprise_id and account_id) and OAuth credentials parses")
    func validConfig() throws {
        let url = try #require(Bundle.module.url(forResource: "valid-config", withExtension: "yaml", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let config = try parse(text)

        #expect(config.baseURL == "https://api.coze.cn")
        #expect(config.databasePath == "/etc/coze/data/audit.sqlite")
        #expect(config.concurrency == 4)
        #expect(config.qps == 2.5)
        #expect(config.directory == "/etc/coze")
        #expect(config.credentials.map(\.name) == ["personal-pat", "old-pat-2024", "enterprise-app", "personal-app", "enterprise-user"])
        #expect(config.credentials.map(\.side) == [.personal, .personal, .enterprise, .personal, .enterprise])
        #expect(config.credentials.map { $0.auth.kind } == ["pat", "pat", "jwt", "jwt", "oauth"])

        guard case .pat(let env) = config.credentials[0].auth else { Issue.record("not a PAT"); return }
        #expect(env == .env("COZE_PERSONAL_PAT"))
        guard case .pat(let file) = config.credentials[1].auth else { Issue.record("not a PAT"); return }
        #expect(file == .file("/etc/coze/secrets/old.pat"))
        guard case .jwt(let enterprise) = config.credentials[2].auth else { Issue.record("not a JWT app"); return }
        #expect(enterprise == JWTAppConfig(clientID: "1234567890", keyID: "kid-abc", privateKeyFile: "/etc/coze/keys/app.pem",
                                           accountID: nil, enterpriseID: "volcano_2105850123"))
        guard case .jwt(let personal) = config.credentials[3].auth else { Issue.record("not a JWT app"); return }
        #expect(personal == JWTAppConfig(clientID: "1111", keyID: "kid-personal", privateKeyFile: "/keys/personal.pem",
                                         accountID: "2105850001", enterpriseID: nil))
        guard case .oauth(let oauth) = config.credentials[4].auth else { Issue.record("not an OAuth user token"); return }
        #expect(oauth == OAuthUserConfig(clientID: "9876543210", tokenFile: "/etc/coze/secrets/enterprise-user.json"))
    }

    @Test("load(path:) reads the file and resolves relative paths against its folder")
    func loadFromDisk() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("conf/coze-audit.yaml", Self.header + """
            credentials:
              - name: p
                side: personal
                pat: { file: p.pat }
            """)
        let config = try ConfigLoader.load(path: path)
        #expect(config.databasePath == folder.file("conf/audit.sqlite"))
        guard case .pat(let source) = config.credentials[0].auth else { Issue.record("not a PAT"); return }
        #expect(source == .file(folder.file("conf/p.pat")))
        #expect(config.concurrency == 8)
        #expect(config.qps == nil)
    }

    @Test("an unknown top-level key is named with its line")
    func unknownTopLevelKey() {
        let problem = error("""
            base_url: https://api.coze.cn
            database: audit.sqlite
            colour: blue
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            """)
        // Written out, not built from the code under test: a key dropped from the loader fails here.
        // (When a key is added, add it to this list too.)
        #expect(problem?.description == "coze-audit.yaml:3: colour: unknown key (expected one of: accept, base_url, concurrency, credentials, database, fallback, log_level, notify, qps, request_timeout_seconds, retention, retries, run_timeout_seconds, stranded_window_days)")
    }

    @Test("notify: targets read with their defaults; each mistake named with its key and line, and a URL never written in the YAML", arguments: [
        ("  - { type: teams, url: { env: U } }", "coze-audit.yaml:6: notify[0].type: expected one of feishu, dingtalk, wecom, slack, webhook, got \"teams\""),
        ("  - { type: wecom, url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send }",
         "coze-audit.yaml:6: notify[0].url: the webhook URL holds the bot's token: give {env: NAME} or {file: PATH}"),
        ("  - { type: wecom, url: { env: U }, secret: { env: S } }", "coze-audit.yaml:6: notify[0].secret: only feishu and dingtalk bots sign their messages"),
        ("  - { type: slack, url: { env: U }, when: sometimes }", "coze-audit.yaml:6: notify[0].when: expected new, any or always, got \"sometimes\""),
        ("  - { type: slack }", "coze-audit.yaml:6: notify[0].url: missing required key"),
        ("  - { type: slack, url: { env: U }, report_url: intranet/report.html }", "coze-audit.yaml:6: notify[0].report_url: expected an http(s) URL"),
    ])
    func notifyTargets(entry: String, expected: String) throws {
        let valid = try ConfigLoader.parse(Self.header + """
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            notify:
              - { type: feishu, url: { env: F }, secret: { file: secrets/f.secret } }
              - { type: webhook, url: { file: hook.url }, when: always, report_url: https://intranet.example.com/r.html }
            """, file: "coze-audit.yaml", directory: "/etc/coze")
        #expect(valid.notify == [
            NotifyTarget(kind: .feishu, url: .env("F"), secret: .file("/etc/coze/secrets/f.secret"), when: .new, index: 0),
            NotifyTarget(kind: .webhook, url: .file("/etc/coze/hook.url"), when: .always, reportURL: "https://intranet.example.com/r.html", index: 1),
        ])
        let problem = error(Self.header + """
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            notify:
            """ + "\n" + entry)
        #expect(problem?.description == expected)
    }

    @Test("an unknown credential key is named with its path and line")
    func unknownCredentialKey() {
        let problem = error(Self.header + """
            credentials:
              - name: p
                side: personal
                token: abc
                pat: { env: P }
            """)
        #expect(problem?.description
            == "coze-audit.yaml:6: credentials[0].token: unknown key (expected one of: jwt, name, oauth, pat, side)")
    }

    @Test("an unknown key inside pat is named with its full path")
    func unknownPATKey() {
        let problem = error(Self.header + """
            credentials:
              - name: p
                side: personal
                pat: { value: secret }
            """)
        #expect(problem?.key == "credentials[0].pat.value")
        #expect(problem?.line == 6)
    }

    @Test("a missing side names credentials[i].side and the credential's line")
    func missingSide() {
        let problem = error(Self.header + """
            credentials:
              - name: a
                side: personal
                pat: { env: A }
              - name: b
                pat: { env: B }
            """)
        #expect(problem?.description == "coze-audit.yaml:7: credentials[1].side: missing required key")
    }

    @Test("a side other than personal or enterprise is refused with the value")
    func badSide() {
        let problem = error(Self.header + """
            credentials:
              - name: a
                side: team
                pat: { env: A }
            """)
        #expect(problem?.description == "coze-audit.yaml:5: credentials[0].side: expected personal or enterprise, got \"team\"")
    }

    @Test("a credential with both pat and jwt is refused")
    func bothPATAndJWT() {
        let problem = error(Self.header + """
            credentials:
              - name: a
                side: enterprise
                pat: { env: A }
                jwt: { client_id: "1", key_id: k, private_key_file: k.pem, enterprise_id: e }
            """)
        #expect(problem?.description == "coze-audit.yaml:4: credentials[0]: has both pat and jwt; keep exactly one")
    }

    @Test("a credential with none of pat, jwt, oauth is refused")
    func neitherAuth() {
        let problem = error(Self.header + """
            credentials:
              - name: a
                side: enterprise
            """)
        #expect(problem?.description == "coze-audit.yaml:4: credentials[0]: needs exactly one of pat, jwt, oauth")
    }

    @Test("a pat with both env and file, and a jwt with both account_id and enterprise_id, are refused")
    func ambiguousSources() {
        let pat = error(Self.header + """
            credentials:
              - name: a
                side: personal
                pat: { env: A, file: a.pat }
            """)
        #expect(pat?.key == "credentials[0].pat")
        #expect(pat?.line == 6)
        let jwt = error(Self.header + """
            credentials:
              - name: a
                side: enterprise
                jwt:
                  client_id: "1"
                  key_id: k
                  private_key_file: k.pem
                  account_id: "1"
                  enterprise_id: e
            """)
        #expect(jwt?.key == "credentials[0].jwt")
        #expect(jwt?.problem == "has both account_id and enterprise_id; keep one")
    }

    @Test("a missing required jwt key is named")
    func missingJWTKey() {
        let problem = error(Self.header + """
            credentials:
              - name: a
                side: enterprise
                jwt:
                  client_id: "1"
                  private_key_file: k.pem
            """)
        #expect(problem?.description == "coze-audit.yaml:7: credentials[0].jwt.key_id: missing required key")
    }

    @Test("duplicate credential names are refused, naming both")
    func duplicateNames() {
        let problem = error(Self.header + """
            credentials:
              - name: same
                side: personal
                pat: { env: A }
              - name: same
                side: enterprise
                pat: { env: B }
            """)
        #expect(problem?.description == "coze-audit.yaml:7: credentials[1].name: duplicate name \"same\" (also credentials[0])")
    }

    @Test("a YAML syntax error carries its line")
    func yamlSyntaxError() {
        let problem = error("""
            base_url: https://api.coze.cn
            database: audit.sqlite
              concurrency: 4
            credentials: []
            """)
        #expect(problem?.line == 3)
        #expect(problem?.key == "")
        #expect(problem?.problem.hasPrefix("YAML syntax error: ") == true)
        #expect(problem?.description.hasPrefix("coze-audit.yaml:3: YAML syntax error: ") == true)
        #expect(problem?.description.contains("\n") == false)
    }

    @Test("a duplicated key is refused naming the key and its line")
    func duplicatedKey() {
        let problem = error("""
            base_url: https://api.coze.cn
            database: audit.sqlite
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            base_url: https://api.coze.com
            """)
        #expect(problem?.description.contains("base_url") == true)
        #expect(problem?.description.contains("\n") == false)
        #expect(problem?.line == 1 || problem?.line == 5, "line of either base_url in: \(problem?.description ?? "no error")")
    }

    @Test("an unclosed flow mapping or quoted string is a YAML syntax error with its line", arguments: [
        ("base_url: https://api.coze.cn\ndatabase: a.sqlite\ncredentials:\n  - { name: a, side: personal, pat: { env: A }\n", 5),
        ("base_url: https://api.coze.cn\ndatabase: \"a.sqlite\ncredentials: []\n", 4),
    ])
    func yamlSyntaxErrorLines(yaml: String, line: Int) {
        let problem = error(yaml)
        #expect(problem?.line == line)
        #expect(problem?.problem.hasPrefix("YAML syntax error") == true)
    }

    @Test("base_url must be an http(s) URL", arguments: ["not a url", "ftp://api.coze.cn", "api.coze.cn", "https://"])
    func baseURLNotAURL(value: String) {
        let problem = error("""
            database: audit.sqlite
            base_url: \(value)
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            """)
        #expect(problem?.description == "coze-audit.yaml:2: base_url: expected an http(s) URL such as https://api.coze.cn")
    }

    @Test("concurrency must be a whole number from 1 to 64", arguments: ["0", "65", "-1", "2.5", "many"])
    func concurrencyOutOfRange(value: String) {
        let problem = error(Self.header + """
            concurrency: \(value)
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            """)
        #expect(problem?.description == "coze-audit.yaml:3: concurrency: expected a whole number from 1 to 64")
    }

    @Test("concurrency at the bounds 1 and 64 is accepted", arguments: [1, 64])
    func concurrencyBounds(value: Int) throws {
        let config = try parse(Self.header + """
            concurrency: \(value)
            credentials:
              - { name: p, side: personal, pat: { env: P } }
            """)
        #expect(config.concurrency == value)
    }

    @Test("an empty credentials list is refused", arguments: ["credentials: []", "credentials:"])
    func emptyCredentials(line: String) {
        let problem = error(Self.header + line)
        #expect(problem?.description == "coze-audit.yaml:3: credentials: expected a non-empty list of credentials")
    }

    @Test("missing required top-level keys are named", arguments: [
        ("database: a.sqlite\ncredentials:\n  - { name: p, side: personal, pat: { env: P } }\n", "base_url"),
        ("base_url: https://api.coze.cn\ncredentials:\n  - { name: p, side: personal, pat: { env: P } }\n", "database"),
        ("base_url: https://api.coze.cn\ndatabase: a.sqlite\n", "credentials"),
    ])
    func missingTopLevelKey(yaml: String, key: String) {
        let problem = error(yaml)
        #expect(problem?.key == key)
        #expect(problem?.problem == "missing required key")
        #expect(problem?.line != nil)
    }

    @Test("the description without a line is file: key: problem")
    func descriptionWithoutLine() {
        #expect(ConfigError(file: "c.yaml", line: nil, key: "k", problem: "p").description == "c.yaml: k: p")
        #expect(ConfigError(file: "c.yaml", line: 2, key: "", problem: "p").description == "c.yaml:2: p")
    }
}
