/// Which of its account's workspaces a token may see: `"all"` or a list of workspace ids.
///
/// "All" also covers workspaces created (or migrated in) later, which is the guide's advice.
public enum WorkspaceScope: Codable, Sendable, Equatable {
    case all
    case only([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard text == "all" else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "workspace_scope must be \"all\" or a list of workspace ids")
            }
            self = .all
        } else {
            self = .only(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .only(let ids): try container.encode(ids)
        }
    }

    public func contains(_ workspaceID: String) -> Bool {
        switch self {
        case .all: return true
        case .only(let ids): return ids.contains(workspaceID)
        }
    }
}
