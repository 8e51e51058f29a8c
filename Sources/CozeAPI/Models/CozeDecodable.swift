/// A model built from one JSON item of a Coze response.
///
/// Decoding goes through ``JSONValue`` rather than `Codable` so ids keep their exact digits
/// whether they arrive as strings or numbers, unknown fields are ignored for free, and every
/// field except the id may be missing.
public protocol CozeDecodable: Sendable {
    init(json: JSONValue) throws
}

/// A listable resource: pagination uses ``id`` to detect repeated pages.
public protocol CozeListItem: CozeDecodable {
    var id: String { get }
}

/// A required field is missing or has the wrong type.
public struct CozeDecodingError: Error, Sendable, CustomStringConvertible {
    public let type: String
    public let field: String
    public var description: String { "\(type): missing or invalid field \"\(field)\"" }
}

extension JSONValue {
    /// The id under the first of `keys` present, or a ``CozeDecodingError`` naming the first key.
    func requiredID(_ keys: String..., in type: String) throws -> String {
        for key in keys {
            if let id = self[key]?.idString { return id }
        }
        throw CozeDecodingError(type: type, field: keys.first ?? "id")
    }
}
