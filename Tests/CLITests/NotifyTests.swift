import CozeSimulator
import CozeTestSupport
import Foundation
import Synchronization
import Testing

/// `notify:` (issue 17): the built binary posts to a local receiver standing in for each bot;
/// signatures are checked with openssl, not with the code under test.
@Suite("notifications", .serialized)
struct NotifyTests {
    static let paths = [
        "feishu": "/open-apis/bot/v2/hook/feishu-hook-token-7f3a",
        "dingtalk": "/robot/send",
        "wecom": "/cgi-bin/webhook/send",
        "slack": "/services/T000/B000/slack-secret-path-9c1e",
        "webhook": "/hooks/coze-audit",
    ]
    static let queries = ["dingtalk": "?access_token=ding-token-91b2", "wecom": "?key=wecom-key-55c1"]
    static let secrets = ["feishu": "feishu-sign-secret-SEC123", "dingtalk": "SECding-sign-secret-456"]
    /// Everything secret about the targets: none may appear in a message or on stderr.
    static let secretBytes = ["feishu-hook-token-7f3a", "ding-token-91b2", "wecom-key-55c1", "slack-secret-path-9c1e",
                              "feishu-sign-secret-SEC123", "SECding-sign-secret-456"]

    /// The target types the receiver answers 500 for, changeable while it runs.
    final class Failing: Sendable {
        private let types: Mutex<Set<String>>
        init(_ types: Set<String> = []) { self.types = Mutex(types) }
        func set(_ new: Set<String>) { types.withLock { $0 = new } }
        func contains(_ type: String) -> Bool { types.withLock { $0.contains(type) } }
    }

    /// An answer per path: the bots' "accepted" bodies, unless `failing` names the type.
    static func receiver(failing: Failing = Failing()) -> WebhookReceiver {
        WebhookReceiver { path in
            let type = paths.first { $0.value == path }?.key ?? "webhook"
            if failing.contains(type) { return (500, #"{"error":"down"}"#) }
            switch type {
            case "feishu": return (200, #"{"code":0,"msg":"success","data":{}}"#)
            case "dingtalk", "wecom": return (200, #"{"errcode":0,"errmsg":"ok"}"#)
            case "slack": return (200, "ok")
            default: return (204, "")
            }
        }
    }

    /// Writes the webhook URLs and signing secrets into files and appends `notify:` to the config.
    static func configure(_ fixture: AuditFixture, receiver: WebhookReceiver, when: [String: String], reportURL: String? = nil) throws {
        var yaml = "notify:\n"
        for type in ["feishu", "dingtalk", "wecom", "slack", "webhook"] {
            guard let mode = when[type] else { continue }
            let urlFile = fixture.directory + "/secrets/\(type).url"
            try FileManager.default.createDirectory(atPath: fixture.directory + "/secrets", withIntermediateDirectories: true)
            try (receiver.baseURL + paths[type]! + (queries[type] ?? "")).write(toFile: urlFile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: urlFile)
            yaml += "  - type: \(type)\n    url: { file: secrets/\(type).url }\n    when: \(mode)\n"
            if let secret = secrets[type] {
                let secretFile = fixture.directory + "/secrets/\(type).secret"
                try secret.write(toFile: secretFile, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
                yaml += "    secret: { file: secrets/\(type).secret }\n"
            }
            if let reportURL { yaml += "    report_url: \(reportURL)\n" }
        }
        try fixture.appendYAML(yaml)
    }

    /// base64(HMAC-SHA256(key, message)) by openssl.
    static func opensslHMAC(key: String, message: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' \"$MESSAGE\" | openssl dgst -sha256 -hmac \"$KEY\" -binary | base64"]
        process.environment = ["KEY": key, "MESSAGE": message, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func received(_ receiver: WebhookReceiver, _ type: String) -> [WebhookReceiver.Received] {
        receiver.requests.filter { $0.path == paths[type] }
    }

    /// The text a reader sees in each message type.
    static func messageText(_ request: WebhookReceiver.Received, type: String) -> String {
        let json = request.json
        switch type {
        case "feishu":
            let card = json["card"] as? [String: Any]
            let elements = card?["elements"] as? [[String: Any]]
            return ((elements?.first?["text"] as? [String: Any])?["content"] as? String) ?? ((json["content"] as? [String: Any])?["text"] as? String ?? "")
        case "dingtalk": return ((json["markdown"] as? [String: Any])?["text"] as? String) ?? ""
        case "wecom": return ((json["markdown"] as? [String: Any])?["content"] as? String) ?? ""
        case "slack":
            let blocks = json["blocks"] as? [[String: Any]]
            return ((blocks?.last?["text"] as? [String: Any])?["text"] as? String) ?? ""
        default: return String(decoding: request.body, as: UTF8.self)
        }
    }

    @Test("five targets on a tenant of hostile names: one message each, signatures that openssl confirms, each type's shape, names escaped, no secret; the second run follows each target's when")
    func everyTypeAndWhen() async throws {
        let receiver = Self.receiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await withFixture(try HostileNamesTests.scenario(), credentials: ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"]) { fixture in
            try Self.configure(fixture, receiver: receiver,
                               when: ["feishu": "new", "dingtalk": "new", "wecom": "any", "slack": "always", "webhook": "new"],
                               reportURL: "https://intranet.example.com/coze-audit/latest.html")
            let before = Date()
            let first = try await fixture.cli(["run"])
            #expect(first.status == 0, "\(first.stderr)")
            for type in Self.paths.keys { #expect(Self.received(receiver, type).count == 1, "\(type) got one message") }

            // Feishu: timestamp (seconds) and sign in the body, a card.
            let feishu = try #require(Self.received(receiver, "feishu").first).json
            let timestamp = try #require(feishu["timestamp"] as? String)
            #expect(abs((Double(timestamp) ?? 0) - before.timeIntervalSince1970) < 120)
            #expect(feishu["sign"] as? String == (try Self.opensslHMAC(key: "\(timestamp)\n\(Self.secrets["feishu"]!)", message: "")))
            #expect(feishu["msg_type"] as? String == "interactive")
            let header = try #require((feishu["card"] as? [String: Any])?["header"] as? [String: Any])
            #expect(((header["title"] as? [String: Any])?["content"] as? String)?.hasPrefix("coze-audit run 1") == true)

            // DingTalk: timestamp (ms) and the URL-encoded sign in the query, markdown.
            let ding = try #require(Self.received(receiver, "dingtalk").first)
            let items = Dictionary(uniqueKeysWithValues: (URLComponents(string: "http://x/?" + ding.query)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(items["access_token"] == "ding-token-91b2")
            let ms = try #require(items["timestamp"])
            #expect(ms.count == 13)
            #expect(items["sign"] == (try Self.opensslHMAC(key: Self.secrets["dingtalk"]!, message: "\(ms)\n\(Self.secrets["dingtalk"]!)")))
            #expect(ding.query.contains("sign=") && !ding.query.contains("+") && !ding.query.contains("/"), "the sign is URL-encoded")
            #expect(ding.json["msgtype"] as? String == "markdown")

            let wecom = try #require(Self.received(receiver, "wecom").first)
            #expect(wecom.json["msgtype"] as? String == "markdown")
            let slack = try #require(Self.received(receiver, "slack").first).json
            #expect((slack["text"] as? String)?.hasPrefix("coze-audit run 1") == true)
            #expect((slack["blocks"] as? [[String: Any]])?.map { $0["type"] as? String } == ["header", "section"])
            let webhook = try #require(Self.received(receiver, "webhook").first).json
            #expect(webhook["schema"] as? String == "coze-audit.notification/v1")
            let counts = try #require(webhook["counts"] as? [String: Any])
            let newFindings = try #require(webhook["new_findings"] as? [[String: Any]])
            #expect((counts["new"] as? Int ?? 0) > 0 && !newFindings.isEmpty && newFindings.count <= 10)
            #expect(newFindings.allSatisfy { ($0["key"] as? String)?.isEmpty == false })

            for type in ["feishu", "dingtalk", "wecom", "slack"] {
                let text = Self.messageText(try #require(Self.received(receiver, type).first), type: type)
                #expect(text.contains("What to do first"), "\(type): the plan's first step")
                #expect(text.contains("https://intranet.example.com/coze-audit/latest.html"), "\(type): the report link")
                #expect(text.contains("&lt;script&gt;") && !text.contains("<script>") && !text.contains("<img"), "\(type): names escaped: \(text)")
            }
            for request in receiver.requests {
                let bytes = String(decoding: request.body, as: UTF8.self)
                for secret in Self.secretBytes + fixture.scenario.credentials.map(\.token) {
                    #expect(!bytes.contains(secret), "\(request.path): a message holds \(secret)")
                }
                #expect(!request.query.contains(Self.secrets["dingtalk"]!))
            }
            for secret in Self.secretBytes { #expect(!first.stderr.contains(secret) && !first.stdout.contains(secret)) }

            // Second run, nothing new: `new` targets stay quiet, `any` and `always` speak.
            let second = try await fixture.cli(["run"])
            #expect(second.status == 0, "\(second.stderr)")
            let counts2 = Dictionary(uniqueKeysWithValues: Self.paths.keys.map { ($0, Self.received(receiver, $0).count) })
            #expect(counts2 == ["feishu": 1, "dingtalk": 1, "wecom": 2, "slack": 2, "webhook": 1])
        }
    }

    @Test("a target answering 500: retried with backoff, then one stderr line with type and host only, exit code unchanged; the next run delivers what was missed, once")
    func retryGiveUpAndCatchUp() async throws {
        let failing = Failing(["wecom"])
        let receiver = Self.receiver(failing: failing)
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            try Self.configure(fixture, receiver: receiver, when: ["wecom": "new", "feishu": "new"])
            let started = ContinuousClock.now
            let first = try await fixture.cli(["run"])
            let elapsed = ContinuousClock.now - started
            #expect(first.status == 0, "a webhook outage costs no audit: \(first.stderr)")
            #expect(Self.received(receiver, "wecom").count == 4, "one attempt and three retries")
            #expect(Self.received(receiver, "feishu").count == 1)
            #expect(elapsed < .seconds(30), "backoff stays within 30 s in all")
            let lines = first.stderr.split(separator: "\n").filter { $0.contains("notify") }
            #expect(lines.count == 1, "\(first.stderr)")
            let host = URLComponents(string: receiver.baseURL)!
            #expect(lines.first?.contains("notify wecom (127.0.0.1:\(host.port!)) failed after 4 attempts (HTTP 500)") == true, "\(lines)")
            #expect(!first.stderr.contains("wecom-key") && !first.stderr.contains("/cgi-bin"), "never the URL's path or query")

            // Back up, and nothing new in the next run: the wecom target still gets what it missed.
            failing.set([])
            let second = try await fixture.cli(["run"])
            #expect(second.status == 0)
            #expect(Self.received(receiver, "feishu").count == 1, "nothing new for the feishu target")
            let caughtUp = try #require(Self.received(receiver, "wecom").last)
            let text = Self.messageText(caughtUp, type: "wecom")
            #expect(text.contains("Not delivered earlier"), "\(text)")
            #expect(text.contains("needs\\_personal\\_grant") || text.contains("not\\_visible\\_to\\_enterprise"), "\(text)")
            // Delivered once: a third quiet run sends nothing more.
            let wecomCount = Self.received(receiver, "wecom").count
            _ = try await fixture.cli(["run"])
            #expect(Self.received(receiver, "wecom").count == wecomCount)
        }
    }

    @Test("notify --test: a test message to every target; exit 3 when one fails")
    func testCommand() async throws {
        let failing = Failing()
        let receiver = Self.receiver(failing: failing)
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            try Self.configure(fixture, receiver: receiver, when: ["feishu": "new", "slack": "new", "webhook": "always"])
            let ok = try await fixture.cli(["notify", "--test"])
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stdout.split(separator: "\n").count == 3 && ok.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix(": delivered") })
            #expect(receiver.requests.count == 3)
            #expect(Self.messageText(try #require(Self.received(receiver, "slack").first), type: "slack").contains("test message"))
            #expect(try #require(Self.received(receiver, "webhook").first).json["test"] as? Bool == true)
            failing.set(["slack"])
            let failed = try await fixture.cli(["notify", "--test"])
            #expect(failed.status == 3)
            #expect(failed.stdout.contains("slack (127.0.0.1:") && failed.stdout.contains("FAILED after 4 attempts: HTTP 500"))
        }
    }

    @Test("WeCom's 4,096-byte limit: a long list is cut between lines, never inside a character, and says how many more")
    func sizeLimit() async throws {
        var scenario = try Scenario.bundled()
        let long = String(repeating: "很长的会话名称", count: 40)  // 280 CJK characters, 840 bytes
        for index in scenario.conversations.indices { scenario.conversations[index].name = long + " \(index)" }
        for index in scenario.voices.indices { scenario.voices[index].name = long + " voice \(index)" }
        let receiver = Self.receiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await withFixture(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            try Self.configure(fixture, receiver: receiver, when: ["wecom": "new"])
            #expect(try await fixture.cli(["run"]).status == 0)
            let text = Self.messageText(try #require(Self.received(receiver, "wecom").first), type: "wecom")
            #expect(text.utf8.count <= 4_096, "\(text.utf8.count) bytes")
            #expect(text.contains("… and ") && text.contains(" more"), "\(text)")
            #expect(!text.contains("\u{FFFD}"))
            #expect(text.contains("What to do first"), "the trailer is never cut")
        }
    }
}
