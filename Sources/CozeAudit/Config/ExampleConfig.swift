import Foundation

/// Writes configurations: the commented example of `coze-audit init`, and the ready-to-run
/// configuration with token files that `demo` and `simulate --write-config` produce.
public enum ExampleConfig {
    public static let commented = """
        # coze-audit configuration (one YAML file; unknown keys are errors).
        # Secrets never go in this file: each token comes from an environment variable or a file.

        # The Coze OpenAPI host: https://api.coze.cn (China) or https://api.coze.com (global).
        # Tokens are per site: a .cn token sent to .com answers 4100.
        base_url: https://api.coze.cn

        # SQLite file with every run; created and migrated on first use. Relative to this file.
        database: coze-audit.sqlite

        # Requests in flight per credential, and a client-side rate limit per credential (optional).
        concurrency: 8
        # qps: 20

        # Retries of idempotent GETs (429, 4013, 5xx, timeouts) and deadlines (optional; defaults shown).
        # retries: { attempts: 4, base_delay_ms: 500 }
        # request_timeout_seconds: 30
        # run_timeout_seconds: 3600        # default: none; past it the run ends partial

        # Log lines on stderr (default error: only one line per cause of an incomplete run).
        # COZE_AUDIT_LOG_LEVEL wins over it.
        # log_level: warning

        # Delete old runs' sightings and listings after each run; findings and history are kept.
        # retention: { keep_runs: 7, keep_days: 30 }

        # Post each run's outcome to a group chat (feishu | dingtalk | wecom | slack | webhook).
        # when: new (default: a new finding, or an incomplete run) | any | always.
        # notify:
        #   - type: feishu
        #     url: { env: COZE_AUDIT_FEISHU_URL }        # the webhook URL is a secret too
        #     secret: { env: COZE_AUDIT_FEISHU_SECRET }  # signing secret (feishu, dingtalk)
        #     report_url: https://intranet.example.com/coze-audit/latest.html

        credentials:
          # The personal access token your services used before the migration.
          - name: personal-pat
            side: personal                   # personal | enterprise
            pat: { env: COZE_PERSONAL_PAT }  # or { file: secrets/personal.pat } (chmod 600)

          # An old personal token you would like to delete.
          - name: old-pat-2024
            side: personal
            pat: { file: secrets/old.pat }

          # The enterprise credential that should replace them.
          - name: enterprise-pat
            side: enterprise
            pat: { env: COZE_ENTERPRISE_PAT }

          # An OAuth JWT app ("AppAuth") issuing tokens for the enterprise:
          # - name: enterprise-app
          #   side: enterprise
          #   jwt:
          #     client_id: "1234567890"
          #     key_id: "kid-abc"                     # public key id shown in the Coze console
          #     private_key_file: keys/app.pem        # RS256 PEM (chmod 600)
          #     enterprise_id: "volcano_2105850123"   # or account_id: "<personal uid>" on the personal side

          # An OAuth user token (device login: coze-audit login enterprise-user):
          # - name: enterprise-user
          #   side: enterprise
          #   oauth:
          #     client_id: "9876543210"
          #     token_file: secrets/enterprise-user.json

        """

    public struct PATCredential: Sendable {
        public var name: String
        public var side: Side
        public var token: String
        public init(name: String, side: Side, token: String) {
            self.name = name
            self.side = side
            self.token = token
        }
    }

    /// An OAuth JWT app; its private key is written to `keys/<name>.pem` (mode 0600).
    public struct JWTCredential: Sendable {
        public var name: String
        public var side: Side
        public var clientID: String
        public var keyID: String
        public var privateKeyPEM: String
        public var accountID: String?
        public var enterpriseID: String?
        public init(name: String, side: Side, clientID: String, keyID: String, privateKeyPEM: String,
                    accountID: String? = nil, enterpriseID: String? = nil) {
            self.name = name
            self.side = side
            self.clientID = clientID
            self.keyID = keyID
            self.privateKeyPEM = privateKeyPEM
            self.accountID = accountID
            self.enterpriseID = enterpriseID
        }
    }

    /// An OAuth user credential; its token file is `secrets/<name>.json` (written by a login).
    public struct OAuthCredential: Sendable {
        public var name: String
        public var side: Side
        public var clientID: String
        public init(name: String, side: Side, clientID: String) {
            self.name = name
            self.side = side
            self.clientID = clientID
        }
    }

    /// Writes `coze-audit.yaml`, one token file per PAT and one key file per JWT app (mode 0600)
    /// into `directory`; returns the config path.
    @discardableResult
    public static func writeRunnable(directory: String, baseURL: String, database: String = "coze-audit.sqlite",
                                     pats: [PATCredential], jwtApps: [JWTCredential] = [],
                                     oauth: [OAuthCredential] = []) throws -> String {
        let root = URL(fileURLWithPath: directory)
        var yaml = "base_url: \(baseURL)\ndatabase: \(database)\nconcurrency: 8\ncredentials:\n"
        for pat in pats {
            try writeSecret(pat.token + "\n", to: root, folder: "secrets", file: "\(pat.name).pat")
            yaml += "  - name: \(pat.name)\n    side: \(pat.side.rawValue)\n    pat: { file: secrets/\(pat.name).pat }\n"
        }
        for app in jwtApps {
            try writeSecret(app.privateKeyPEM, to: root, folder: "keys", file: "\(app.name).pem")
            yaml += "  - name: \(app.name)\n    side: \(app.side.rawValue)\n    jwt:\n      client_id: \"\(app.clientID)\"\n"
                + "      key_id: \"\(app.keyID)\"\n      private_key_file: keys/\(app.name).pem\n"
            if let id = app.enterpriseID { yaml += "      enterprise_id: \"\(id)\"\n" }
            if let id = app.accountID { yaml += "      account_id: \"\(id)\"\n" }
        }
        for user in oauth {
            yaml += "  - name: \(user.name)\n    side: \(user.side.rawValue)\n    oauth:\n"
                + "      client_id: \"\(user.clientID)\"\n      token_file: secrets/\(user.name).json\n"
        }
        let path = root.appendingPathComponent("coze-audit.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// A secret file in a 0700 folder, itself 0600: what CredentialResolver expects of secrets.
    static func writeSecret(_ text: String, to root: URL, folder: String, file: String) throws {
        let fm = FileManager.default
        let directory = root.appendingPathComponent(folder)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = directory.appendingPathComponent(file)
        try Data(text.utf8).write(to: url, options: .atomic)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}
