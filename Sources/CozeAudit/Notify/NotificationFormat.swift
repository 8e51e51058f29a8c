import CozeAPI
import Crypto
import Foundation

/// A notification in one target's wire format: the URL to POST to (with DingTalk's signature in
/// the query) and the JSON body (with Feishu's signature in it).
struct NotificationPayload: Sendable {
    var url: String
    var body: [UInt8]
}

/// The five formats, their signatures and size limits.
enum NotificationFormat {
    /// Largest message text per target, in UTF-8 bytes (WeCom's markdown limit is 4,096 bytes,
    /// Slack's section text 3,000 characters; the others are kept well under their limits).
    static func limit(_ kind: NotifyTarget.Kind) -> Int {
        switch kind {
        case .wecom: 4_000
        case .slack: 2_900
        case .dingtalk: 18_000
        case .feishu: 18_000
        case .webhook: 1_000_000
        }
    }

    /// The payload for `target`; `plainText` asks Feishu for the `text` message a refused card falls back to.
    static func payload(_ content: NotificationContent, for target: ResolvedNotifyTarget, now: Date, plainText: Bool = false) -> NotificationPayload {
        let kind = target.target.kind
        switch kind {
        case .feishu:
            var body: [String: Any]
            if plainText {
                body = ["msg_type": "text", "content": ["text": text(content, escape: { $0 }, limit: limit(kind))]]
            } else {
                let markdown = text(content, escape: escapeMarkdown, limit: limit(kind))
                body = ["msg_type": "interactive", "card": [
                    "config": ["wide_screen_mode": true],
                    "header": ["title": ["tag": "plain_text", "content": content.headline],
                               "template": content.status == RunStatus.complete.rawValue && content.new == 0 ? "green" : "red"],
                    "elements": [["tag": "div", "text": ["tag": "lark_md", "content": markdown]]],
                ]]
            }
            if let secret = target.secret {
                let timestamp = Int64(now.timeIntervalSince1970)
                body["timestamp"] = String(timestamp)
                body["sign"] = feishuSign(secret: secret, timestamp: timestamp)
            }
            return NotificationPayload(url: target.url, body: json(body))
        case .dingtalk:
            var url = target.url
            if let secret = target.secret {
                let timestamp = Int64(now.timeIntervalSince1970 * 1000)
                url += (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(dingtalkSign(secret: secret, timestampMS: timestamp))"
            }
            let markdown = text(content, escape: escapeMarkdown, limit: limit(kind))
            return NotificationPayload(url: url, body: json(["msgtype": "markdown", "markdown": ["title": content.headline, "text": markdown]]))
        case .wecom:
            let markdown = text(content, escape: escapeMarkdown, limit: limit(kind))
            return NotificationPayload(url: target.url, body: json(["msgtype": "markdown", "markdown": ["content": markdown]]))
        case .slack:
            let markdown = text(content, escape: escapeSlack, limit: limit(kind), bold: { "*\($0)*" })
            let headline = String(content.headline.prefix(150))
            return NotificationPayload(url: target.url, body: json([
                "text": escapeSlack(content.headline),
                "blocks": [
                    ["type": "header", "text": ["type": "plain_text", "text": headline]],
                    ["type": "section", "text": ["type": "mrkdwn", "text": markdown]],
                ],
            ]))
        case .webhook:
            return NotificationPayload(url: target.url, body: json(document(content)))
        }
    }

    /// `coze-audit.notification/v1`: the content as data, for any other receiver.
    static func document(_ content: NotificationContent) -> [String: Any] {
        func line(_ line: NotificationContent.Line) -> [String: Any] {
            ["key": line.key, "kind": line.kind, "severity": line.severity, "text": line.text]
        }
        var run: [String: Any] = ["id": content.runID, "status": content.status]
        if let reason = content.reason { run["reason"] = reason }
        if let finished = content.finishedAt { run["finished_at"] = finished }
        var document: [String: Any] = [
            "schema": "coze-audit.notification/v1",
            "test": content.isTest,
            "run": run,
            "counts": ["findings": content.total, "new": content.new,
                       "per_kind": Dictionary(uniqueKeysWithValues: content.perKind.map { ($0.kind, ["findings": $0.total, "new": $0.new]) })],
            "new_findings": content.newFindings.map(line),
            "more_new_findings": content.moreNew,
            "undelivered_findings": content.undelivered.map(line),
        ]
        if let step = content.firstStep { document["first_step"] = step }
        if let url = content.reportURL { document["report_url"] = url }
        return document
    }

    /// The message as lines of markdown (or plain text with `escape` identity), cut to `limit`
    /// UTF-8 bytes at line boundaries, each cut list saying how many lines it left out.
    static func text(_ content: NotificationContent, escape: (String) -> String, limit: Int,
                     bold: (String) -> String = { "**\($0)**" }) -> String {
        var out = bold(escape(content.headline))
        if let reason = content.reason, content.status != RunStatus.complete.rawValue { out += "\n" + escape(reason) }
        // The trailer (first step, link) is reserved so the cut lists never push it out.
        var trailer = ""
        if let step = content.firstStep { trailer += "\n\n" + bold("What to do first") + "\n" + escape(step) }
        if let url = content.reportURL { trailer += "\n\n" + escape("Report: ") + url }
        let budget = limit - trailer.utf8.count
        func add(_ title: String, _ lines: [String], more: Int = 0) {
            guard !lines.isEmpty || more > 0 else { return }
            let header = "\n\n" + bold(escape(title))
            guard out.utf8.count + header.utf8.count < budget else { return }
            out += header
            var shown = 0
            for line in lines {
                let entry = "\n- " + line
                // Room for this line and a "… and N more" line after it.
                guard out.utf8.count + entry.utf8.count + 40 <= budget else { break }
                out += entry
                shown += 1
            }
            let left = lines.count - shown + more
            if left > 0 { out += "\n- " + escape("… and \(left) more") }
        }
        if content.isTest {
            out += "\n\n" + escape("This target will receive the outcome of every run that matches its `when`.")
        }
        add("Findings per kind", content.perKind.map { escape("\($0.title) (\($0.kind)): \($0.total)" + ($0.new > 0 ? ", \($0.new) new" : "")) })
        add("New findings", content.newFindings.map { escape("[\($0.severity)] \($0.text)") }, more: content.moreNew)
        add("Not delivered earlier", content.undelivered.map { escape("[\($0.severity)] \($0.text)") })
        return Self.cut(out, to: budget) + trailer
    }

    /// At most `limit` UTF-8 bytes, cut at a Character boundary (never inside a character).
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var out = ""
        var bytes = 0
        for character in text {
            let size = String(character).utf8.count
            if bytes + size > limit - 3 { break }
            out.append(character)
            bytes += size
        }
        return out + "…"
    }

    /// Feishu, DingTalk and WeCom markdown: no HTML, markdown's own characters shown as themselves.
    static func escapeMarkdown(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "*", "_", "[", "]", "(", ")", "#", "`", "~", "|", "!": out += "\\" + String(character)
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Slack's mrkdwn: `&`, `<` and `>` are the characters it asks to escape.
    static func escapeSlack(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: " ")
    }

    /// Feishu custom bot: base64(HMAC-SHA256) with the key `"<timestamp>\n<secret>"` over an empty message.
    static func feishuSign(secret: String, timestamp: Int64) -> String {
        let key = SymmetricKey(data: Array("\(timestamp)\n\(secret)".utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: [UInt8](), using: key)).base64EncodedString()
    }

    /// DingTalk robot: base64(HMAC-SHA256 of `"<timestamp>\n<secret>"` with the secret as key), URL-encoded.
    static func dingtalkSign(secret: String, timestampMS: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestampMS)\n\(secret)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return CozeClient.escape(Data(mac).base64EncodedString())
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }
}
