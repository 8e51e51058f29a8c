import Crypto
import Foundation

/// Makes an HTTP exchange safe to share, by an allow-list: only what the audit needs keeps its
/// value (types, states, flags, times, counts, codes, paging fields, connector ids); ids keep
/// their shape under a pseudonym; free text keeps its length class; everything else is dropped.
///
/// Pseudonyms are keyed with a random secret made for one recording and never written, so they
/// are consistent within the recording (the same workspace id is the same pseudonym in a path, a
/// query and a body) and cannot be reversed or matched across recordings.
public struct Anonymizer: Sendable {
    /// Written to the manifest: bump when what is kept changes.
    public static let version = "allow-list/1"

    private let key: SymmetricKey

    public init() {
        key = SymmetricKey(size: .bits256)
    }

    /// Keys whose value is an id: pseudonymized, same shape.
    static let idKeys: Set<String> = [
        "id", "user_id", "workspace_id", "bot_id", "conversation_id", "voice_id", "owner_uid", "owner_user_id",
        "creator_id", "enterprise_id", "app_id", "workflow_id", "folder_id", "last_section_id", "section_id",
        "account_id", "space_id", "first_id", "last_id", "admin_uids", "message_id", "chat_id", "logid",
        "client_id", "device_id",
    ]
    /// Keys whose scalar value is kept as it is: what the audit decides on.
    static let keptKeys: Set<String> = [
        "code", "status", "workspace_type", "role_type", "joined_status", "publish_status", "is_published", "state",
        "voice_state", "model_type", "language_code", "is_system_voice", "mode", "workflow_mode", "connector_id",
        "connector_ids", "type", "created_at", "updated_at", "published_at", "publish_time", "create_time",
        "update_time", "expires_in", "total", "total_count", "has_more", "page_num", "page_size", "page_index",
        "available_training_times", "token_type", "error", "error_code", "interval", "sort_order",
    ]
    /// Keys whose value is an object or array to walk.
    static let containerKeys: Set<String> = [
        "data", "items", "workspaces", "conversations", "voice_list", "space_bots", "detail", "creator",
        "workflow_detail", "bot_info", "error_detail",
    ]
    /// Free text: replaced by text of the same length class (CJK stays CJK).
    static let textKeys: Set<String> = [
        "name", "nick_name", "user_name", "bot_name", "workflow_name", "description", "preview_text", "model_name",
        "language_name", "title", "space_name", "app_name",
    ]
    /// Links: replaced by one fixed link.
    static let urlKeys: Set<String> = [
        "icon_url", "avatar_url", "preview_audio", "url", "verification_uri", "verification_url", "icon",
    ]
    /// Secrets: never kept, not even their shape.
    static let secretKeys: Set<String> = [
        "access_token", "refresh_token", "device_code", "user_code", "token", "client_secret", "private_key",
    ]
    /// Server messages: kept (the evidence rules read them), token-like and id-like parts replaced.
    static let messageKeys: Set<String> = ["msg", "error_message", "error_description", "message"]
    /// Query parameters whose value is an id.
    static let idQueryKeys: Set<String> = [
        "workspace_id", "bot_id", "conversation_id", "enterprise_id", "space_id", "app_id", "voice_id", "user_id",
        "account_id",
    ]
    /// Query parameters kept as sent.
    static let keptQueryKeys: Set<String> = [
        "page_num", "page_index", "page_size", "publish_status", "connector_id", "voice_state", "filter_system_voice",
        "workflow_mode", "model_type", "sort_order", "duration_seconds",
    ]
    static let redacted = "[redacted]"
    static let anonymizedURL = "https://example.invalid/anonymized"

    // MARK: values

    /// A pseudonym with the shape of `value`: digits stay digits (a leading non-zero stays
    /// non-zero, so 19 digits stay a 19-digit number), letters stay letters of the same case,
    /// anything else stays as it is.
    public func id(_ value: String) -> String {
        guard !value.isEmpty else { return value }
        var stream: [UInt8] = []
        var counter = 0
        func nextByte() -> UInt8 {
            if stream.isEmpty {
                counter += 1
                let mac = HMAC<SHA256>.authenticationCode(for: Array("\(counter):\(value)".utf8), using: key)
                stream = Array(mac)
            }
            return stream.removeFirst()
        }
        var out = ""
        for (index, scalar) in value.unicodeScalars.enumerated() {
            let byte = nextByte()
            switch scalar {
            case "0"..."9":
                let leading = index == 0 && scalar != "0"
                let digit = leading ? 1 + Int(byte) % 9 : Int(byte) % 10
                out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + digit)))
            case "a"..."z": out.unicodeScalars.append(Unicode.Scalar(UInt8(97 + Int(byte) % 26)))
            case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(UInt8(65 + Int(byte) % 26)))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Free text of the same length class (empty, ≤ 8, ≤ 32, ≤ 128, longer) in the same script
    /// family: CJK text becomes CJK text, anything else Latin.
    public static func text(_ value: String) -> String {
        let count = value.count
        let length = count == 0 ? 0 : count <= 8 ? 4 : count <= 32 ? 16 : count <= 128 ? 64 : 256
        return String(repeating: value.unicodeScalars.contains(where: isCJK) ? "字" : "x", count: length)
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }

    /// A server message with token-like runs replaced by `[token]` and every run of 6+ digits by
    /// its pseudonym; the words stay, so "no permission" still reads as a denial.
    public func message(_ value: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            out += scrub(word)
            word = ""
        }
        for character in value {
            if character.isLetter && character.isASCII || character.isNumber && character.isASCII || "_-.".contains(character) {
                word.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }

    /// One run of ASCII letters, digits, `_`, `-`, `.` from a message.
    private func scrub(_ word: String) -> String {
        let lower = word.lowercased()
        let digits = word.filter(\.isNumber).count
        let letters = word.filter(\.isLetter).count
        // PATs and service tokens (`pat_…`, `sat_…`, `czu_…`), JWTs, and any long mixed run.
        if ["pat_", "sat_", "czu_", "cztei_", "eyj"].contains(where: lower.hasPrefix) && word.count >= 8 { return "[token]" }
        if word.count >= 20 && digits > 0 && letters > 0 { return "[token]" }
        // Ids, alone or inside a word ("volcano_2105850123").
        if digits >= 6 {
            var out = ""
            var run = ""
            for character in word {
                if character.isNumber { run.append(character); continue }
                out += run.count >= 6 ? id(run) : run
                run = ""
                out.append(character)
            }
            return out + (run.count >= 6 ? id(run) : run)
        }
        return word
    }

    // MARK: requests

    /// A path with every id segment pseudonymized: the one after `enterprise_id`, `account` or
    /// `workspace_id`, and any segment that is not a plain lower-case route word.
    public func path(_ value: String) -> String {
        var previous = ""
        let segments = value.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            let segment = String(part)
            defer { previous = segment }
            guard !segment.isEmpty else { return segment }
            let routeWord = segment.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" || $0 == "." || ("0"..."9").contains($0) }
                && segment.unicodeScalars.contains { ("a"..."z").contains($0) }
            if ["enterprise_id", "account", "workspace_id"].contains(previous) || !routeWord { return id(segment) }
            return segment
        }
        return segments.joined(separator: "/")
    }

    /// An encoded query with id values pseudonymized and unknown parameters' values replaced by
    /// their pseudonym (their names stay, so the request shape survives).
    public func query(_ value: String) -> String {
        guard !value.isEmpty else { return value }
        return value.split(separator: "&").map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            let raw = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
            let kept = Self.keptQueryKeys.contains(name) ? raw : id(raw)
            return Self.encode(name) + "=" + Self.encode(kept)
        }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The headers worth keeping: the log id (pseudonymized), `retry-after`, rate-limit headers,
    /// `content-type`.
    public func headers(_ headers: [(name: String, value: String)]) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "x-tt-logid" {
                out[lower] = id(value)
            } else if lower == "retry-after" || lower.contains("ratelimit") || lower.contains("rate-limit") || lower == "content-type" {
                out[lower] = value
            }
        }
        return out
    }

    // MARK: bodies

    /// A response body: JSON anonymized by the allow-list (text with sorted keys), or, for a body
    /// that is not JSON, a placeholder that is not JSON either.
    public func body(_ bytes: [UInt8]) -> (json: String?, text: String?) {
        guard !bytes.isEmpty else { return (nil, "") }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
              parsed is [String: Any] || parsed is [Any] else {
            return (nil, "[a body that is not JSON, \(bytes.count) bytes, replaced]")
        }
        let cleaned = value(parsed, key: nil) ?? [String: Any]()
        guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return (nil, "[a body that could not be re-encoded, replaced]") }
        return (String(decoding: data, as: UTF8.self), nil)
    }

    /// One JSON value under `key` (nil at the top): kept, replaced, walked, or dropped (nil).
    func value(_ value: Any, key: String?) -> Any? {
        if let object = value as? [String: Any] {
            guard key == nil || Self.containerKeys.contains(key!) || Self.idKeys.contains(key!) else {
                // meta_data and any other object the allow-list does not name: kept as an empty object.
                return [String: Any]()
            }
            var out: [String: Any] = [:]
            for (name, child) in object {
                if let kept = self.value(child, key: name) { out[name] = kept }
            }
            return out
        }
        if let array = value as? [Any] {
            guard let key, Self.containerKeys.contains(key) || Self.idKeys.contains(key) || Self.keptKeys.contains(key)
                    || Self.textKeys.contains(key) else { return [Any]() }
            return array.compactMap { self.value($0, key: key) }
        }
        guard let key else { return nil }
        if value is NSNull { return NSNull() }
        if Self.secretKeys.contains(key) { return Self.redacted }
        if Self.idKeys.contains(key) {
            if let text = value as? String { return id(text) }
            if let number = value as? NSNumber, number.stringValue.count > 1, number.stringValue.allSatisfy(\.isNumber) {
                // An id sent as a JSON number: a number of the same digits.
                let pseudonym = id(number.stringValue)
                return Int64(pseudonym).map { NSNumber(value: $0) } ?? pseudonym
            }
            return value
        }
        if Self.keptKeys.contains(key) { return value }
        if Self.textKeys.contains(key) { return (value as? String).map(Self.text) ?? value }
        if Self.urlKeys.contains(key) { return (value as? String).map { $0.isEmpty ? "" : Self.anonymizedURL } }
        if Self.messageKeys.contains(key) { return (value as? String).map(message) }
        return nil
    }
}
