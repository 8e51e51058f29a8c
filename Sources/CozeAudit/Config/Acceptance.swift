import Foundation

/// An accepted finding (`accept:` in the config): the admin knows and has a reason. Accepted
/// findings are still reported, marked accepted, and never fail the run; when `expires` passes
/// they count again.
public struct Acceptance: Sendable, Equatable {
    /// A finding key (`stale_pat:old-pat-2024`) or a pattern with `*` (`needs_personal_grant:voice:*`).
    public var pattern: String
    public var reason: String
    /// The last day (UTC) the acceptance holds; nil = no expiry.
    public var expires: String?

    public init(pattern: String, reason: String, expires: String? = nil) {
        self.pattern = pattern
        self.reason = reason
        self.expires = expires
    }

    public func matches(_ key: String) -> Bool {
        guard pattern.contains("*") else { return pattern == key }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(key)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    /// True while the acceptance holds on `date` (expiry day inclusive, UTC).
    public func isActive(on date: Date) -> Bool {
        guard let expires else { return true }
        return Acceptance.day(date) <= expires
    }

    static func day(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(10))
    }
}
