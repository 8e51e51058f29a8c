import AsyncHTTPClient
import CozeAPI
import Foundation
import GRDB
import NIOCore

/// Posts a stored run's outcome to every `notify:` target, after the run is stored.
///
/// A delivery fails on a network error, a non-2xx status, or an answer that says so (Feishu
/// `code`/`StatusCode`, DingTalk and WeCom `errcode` not 0; Slack's body not `ok`). It is retried
/// with backoff within ``budget``, then reported in one line naming the target's type and host
/// (never the URL's path or query: they hold the bot's token), and its new findings are kept in
/// `notify_pending`; the next message to that target lists them. A notification never changes a
/// run's exit code.
public struct Notifier: Sendable {
    public struct Delivery: Sendable, Equatable {
        public var target: String
        /// nil when delivered; otherwise why not.
        public var failure: String?
        public var attempts: Int
        /// The run did not match the target's `when`: nothing was sent.
        public var skipped: Bool
    }

    public var targets: [ResolvedNotifyTarget]
    public var sleeper: any CozeSleeper
    public var now: @Sendable () -> Date
    /// Waits between attempts; one attempt more than delays, all within ``budget``.
    public var delays: [Duration] = [.seconds(1), .seconds(2), .seconds(4)]
    public var budget: Duration = .seconds(30)
    public var requestTimeout: Duration = .seconds(10)
    /// At most this many undelivered findings are kept per target.
    public static let pendingCap = 1_000

    public init(targets: [ResolvedNotifyTarget], sleeper: any CozeSleeper = TaskSleeper(), now: @escaping @Sendable () -> Date = Date.init) {
        self.targets = targets
        self.sleeper = sleeper
        self.now = now
    }

    /// Notifies every target about run `runID` (whose `when` it matches), and keeps what could not
    /// be delivered for the next run.
    public func notify(store: AuditStore, runID: Int64) async throws -> [Delivery] {
        guard !targets.isEmpty else { return [] }
        let report = try ReportBuilder.build(store: store, runID: runID, findingsPerKind: HTMLRenderer.rowsPerGroup)
        let newLines = report.findings.filter { $0.accepted == nil && $0.new }.map(NotificationContent.line)
        var deliveries: [Delivery] = []
        for target in targets {
            var content = NotificationContent.of(report, reportURL: target.target.reportURL)
            let shown = Set(content.newFindings.map(\.key))
            content.undelivered = try pending(store, target: target).filter { !shown.contains($0.key) }
            guard content.deserves(target.target.when) else {
                deliveries.append(Delivery(target: target.label, failure: nil, attempts: 0, skipped: true))
                continue
            }
            let delivery = await deliver(content, to: target)
            deliveries.append(delivery)
            if delivery.failure == nil {
                let id = target.id
                try await store.write { db in try db.execute(sql: "DELETE FROM notify_pending WHERE target = ?", arguments: [id]) }
            } else {
                try await keep(store, target: target, lines: newLines, runID: runID)
            }
        }
        return deliveries
    }

    /// `notify --test`: one test message per target.
    public func test() async -> [Delivery] {
        var deliveries: [Delivery] = []
        for target in targets {
            deliveries.append(await deliver(NotificationContent.test(reportURL: target.target.reportURL), to: target))
        }
        return deliveries
    }

    func pending(_ store: AuditStore, target: ResolvedNotifyTarget) throws -> [NotificationContent.Line] {
        try store.read { db in
            try NotificationContent.Line.fetchAll(db, sql: "SELECT key, kind, severity, text FROM notify_pending WHERE target = ? ORDER BY run_id, key",
                                                  arguments: [target.id])
        }
    }

    func keep(_ store: AuditStore, target: ResolvedNotifyTarget, lines: [NotificationContent.Line], runID: Int64) async throws {
        let id = target.id
        let stamp = Timestamp.format(now())
        try await store.write { db in
            for line in lines {
                try db.execute(sql: """
                    INSERT INTO notify_pending (target, key, kind, severity, text, run_id, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """, arguments: [id, line.key, line.kind, line.severity, line.text, runID, stamp])
            }
            // The oldest go first when a target stays down for long.
            try db.execute(sql: """
                DELETE FROM notify_pending WHERE target = ? AND rowid NOT IN
                  (SELECT rowid FROM notify_pending WHERE target = ? ORDER BY run_id DESC, key LIMIT ?)
                """, arguments: [id, id, Self.pendingCap])
        }
    }

    /// Sends `content` with retries; Feishu falls back to a text message when its card is refused.
    func deliver(_ content: NotificationContent, to target: ResolvedNotifyTarget) async -> Delivery {
        let http = CozeHTTPClient.make(connectionsPerHost: 1, baseURL: target.url)
        let delivery = await attempts(content, to: target, http: http)
        try? await http.shutdown()
        return delivery
    }

    private func attempts(_ content: NotificationContent, to target: ResolvedNotifyTarget, http: HTTPClient) async -> Delivery {
        let started = ContinuousClock.now
        var attempts = 0
        var failure = "not sent"
        var plainText = false
        for index in 0...delays.count {
            attempts += 1
            let payload = NotificationFormat.payload(content, for: target, now: now(), plainText: plainText)
            switch await post(payload, kind: target.target.kind, http: http) {
            case .none: return Delivery(target: target.label, failure: nil, attempts: attempts, skipped: false)
            case .some(let reason):
                failure = reason
                // A card the bot refuses with an answer is sent once more as plain text.
                if target.target.kind == .feishu, !plainText, reason.hasPrefix("code ") { plainText = true }
            }
            guard index < delays.count, ContinuousClock.now - started + delays[index] < budget else { break }
            try? await sleeper.sleep(for: delays[index])
        }
        return Delivery(target: target.label, failure: failure, attempts: attempts, skipped: false)
    }

    /// One POST; nil when the target accepted it, else why not (no URL in it).
    func post(_ payload: NotificationPayload, kind: NotifyTarget.Kind, http: HTTPClient) async -> String? {
        var request = HTTPClientRequest(url: payload.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "coze-audit/\(CozeAuditVersion.semantic)")
        request.body = .bytes(ByteBuffer(bytes: payload.body))
        do {
            let response = try await http.execute(request, timeout: .seconds(Int64(requestTimeout.components.seconds)))
            let body = try await response.body.collect(upTo: 1 << 20)
            return Self.refusal(kind: kind, status: Int(response.status.code), body: Array(body.readableBytesView))
        } catch {
            return "no answer (\(Self.networkWords(error)))"
        }
    }

    /// Why an answer is a refusal, nil when it is an acceptance.
    static func refusal(kind: NotifyTarget.Kind, status: Int, body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard (200..<300).contains(status) else { return "HTTP \(status)" }
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        func code(_ keys: [String]) -> Int? { keys.lazy.compactMap { (object?[$0] as? NSNumber)?.intValue }.first }
        func message(_ keys: [String]) -> String { TextSafe.clean(keys.lazy.compactMap { object?[$0] as? String }.first ?? "", limit: 120) }
        switch kind {
        case .feishu:
            guard let code = code(["code", "StatusCode"]) else { return "an answer without code" }
            return code == 0 ? nil : "code \(code): \(message(["msg", "StatusMessage"]))"
        case .dingtalk, .wecom:
            guard let code = code(["errcode"]) else { return "an answer without errcode" }
            return code == 0 ? nil : "errcode \(code): \(message(["errmsg"]))"
        case .slack:
            return text.trimmingCharacters(in: .whitespacesAndNewlines) == "ok" ? nil : "answer \(TextSafe.clean(text, limit: 80))"
        case .webhook:
            return nil
        }
    }

    static func networkWords(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            default: break
            }
        }
        let words = String(describing: error)
        // An error text may quote the URL; keep only the words before any URL.
        return TextSafe.clean(words.components(separatedBy: "http").first ?? words, limit: 80)
    }
}
