/// A JSON value that keeps every number as the literal text it arrived as.
///
/// Coze ids exceed 2^53 and sometimes arrive as bare JSON numbers; `JSONSerialization` and a
/// `Double` round trip would silently change them. Keeping the literal text (and object member
/// order) lets the auditor store each item's raw JSON exactly as the API sent it.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, exactly as it appeared in the body (e.g. `"7386483746374637463"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in wire order; a duplicated key keeps every occurrence, lookups return the last one.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let n): hasher.combine(2); hasher.combine(n)
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let members):
            hasher.combine(5)
            for member in members { hasher.combine(member.key); hasher.combine(member.value) }
        }
    }

    /// Parses UTF-8 JSON text; throws ``JSONParseError`` on anything that is not one JSON value.
    public init(parsing bytes: some Collection<UInt8>) throws {
        var parser = JSONParser(Array(bytes))
        self = try parser.parseDocument()
    }

    /// Parses a JSON string.
    public init(parsing text: String) throws {
        try self.init(parsing: Array(text.utf8))
    }

    /// The member named `key` of an object (the last one if repeated), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The elements of an array, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// True for `null`, so callers can treat `"x": null` like a missing field.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
