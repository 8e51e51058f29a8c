/// Lenient typed accessors: the Coze API is inconsistent about numbers vs numeric strings
/// (ids, timestamps, `connector_id`), so model decoding accepts either form.
extension JSONValue {
    /// A string field; numbers and booleans are rendered as their text (never through `Double`).
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// An identifier: a JSON string as is, or an integer literal exactly as written.
    /// Empty strings count as missing.
    public var idString: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let n): return n
        default: return nil
        }
    }

    /// An integer from a number or numeric string; fractional values are truncated toward zero.
    public var int64Value: Int64? {
        let text: String
        switch self {
        case .number(let n): text = n
        case .string(let s): text = s.trimmingWhitespace()
        default: return nil
        }
        if let exact = Int64(text) { return exact }
        if let double = Double(text), double.isFinite, abs(double) < 9.2e18 { return Int64(double) }
        return nil
    }

    /// An `Int` counterpart of ``int64Value``, for counts such as `total`.
    public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }

    /// A boolean from `true`/`false`, `0`/`1`, or the strings `"true"`/`"false"`.
    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .number(let n): return n == "0" ? false : (n == "1" ? true : nil)
        case .string(let s):
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// A string-to-string map such as a conversation's `meta_data`.
    public var stringMap: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var map: [String: String] = [:]
        for member in members {
            if let value = member.value.stringValue { map[member.key] = value }
        }
        return map
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
