import Foundation
import GRDB

/// The guide's fallback (personal credential first, then the enterprise one on 4100/4101/not
/// found), evaluated on a stored run: for each chain of credentials and each resource kind, how
/// many resources the chain reaches, on which credential it ends, and which it reaches on none.
public struct FallbackCheck: Codable, Sendable {
    public struct Chain: Codable, Sendable, Equatable {
        public var name: String
        public var credentials: [String]
        public init(name: String, credentials: [String]) {
            self.name = name
            self.credentials = credentials
        }
    }

    public struct KindResult: Codable, Sendable {
        public var kind: String
        public var total: Int
        /// credential → resources the chain ends on it for (in chain order).
        public var reachedOn: [Reached]
        public var unreached: Int
        /// Up to `listLimit` unreached resources, "kind:id name".
        public var unreachedExamples: [String]

        enum CodingKeys: String, CodingKey {
            case kind, total, unreached
            case reachedOn = "reached_on"
            case unreachedExamples = "unreached_examples"
        }
    }

    public struct Reached: Codable, Sendable {
        public var credential: String
        public var count: Int
    }

    public struct ChainResult: Codable, Sendable {
        public var chain: Chain
        public var kinds: [KindResult]
    }

    public var run: String
    public var chains: [ChainResult]

    public static let listLimit = 20

    /// The guide's default: every personal credential, then every enterprise one, in config order.
    public static func defaultChain(_ credentials: [(name: String, side: String)]) -> Chain {
        Chain(name: "personal → enterprise",
              credentials: credentials.filter { $0.side == "personal" }.map(\.name) + credentials.filter { $0.side == "enterprise" }.map(\.name))
    }

    /// Resources considered: everything seen in the run (system voices excluded) plus the
    /// run's stranded resources, which by definition no credential reaches.
    public static func compute(store: AuditStore, runID: Int64, chains: [Chain]) throws -> FallbackCheck {
        try store.read { db in
            var seenBy: [String: [String: Set<String>]] = [:]   // kind → id → credentials
            var names: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.kind, s.resource_id, c.name AS credential, r.name AS resource_name
                FROM sighting s JOIN credential c ON c.id = s.credential_id
                JOIN resource r ON r.kind = s.kind AND r.id = s.resource_id
                WHERE s.run_id = ? AND r.is_system = 0
                """, arguments: [runID])
            while let row = try rows.next() {
                let kind: String = row["kind"], id: String = row["resource_id"]
                seenBy[kind, default: [:]][id, default: []].insert(row["credential"])
                names["\(kind):\(id)"] = row["resource_name"]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT f.resource_type, f.resource_id, r.name FROM finding f
                LEFT JOIN resource r ON r.kind = f.resource_type AND r.id = f.resource_id
                WHERE f.run_id = ? AND f.kind = 'stranded'
                """, arguments: [runID]) {
                let kind: String = row["resource_type"], id: String = row["resource_id"]
                if seenBy[kind]?[id] == nil { seenBy[kind, default: [:]][id] = [] }
                names["\(kind):\(id)"] = row["name"]
            }
            let results = chains.map { chain in
                ChainResult(chain: chain, kinds: ResourceKind.allCases.map(\.rawValue).map { kind in
                    let resources = seenBy[kind] ?? [:]
                    var counts = Dictionary(uniqueKeysWithValues: chain.credentials.map { ($0, 0) })
                    var unreached: [String] = []
                    for (id, credentials) in resources {
                        if let first = chain.credentials.first(where: credentials.contains) {
                            counts[first, default: 0] += 1
                        } else {
                            unreached.append(id)
                        }
                    }
                    unreached.sort()
                    return KindResult(
                        kind: kind, total: resources.count,
                        reachedOn: chain.credentials.map { Reached(credential: $0, count: counts[$0] ?? 0) },
                        unreached: unreached.count,
                        unreachedExamples: unreached.prefix(listLimit).map { id in
                            "\(kind):\(id)" + (names["\(kind):\(id)"].map { " \"\(TextSafe.clean($0, limit: 60))\"" } ?? "")
                        })
                })
            }
            return FallbackCheck(run: String(runID), chains: results)
        }
    }

    public func text() -> String {
        var lines: [String] = ["fallback check of run \(run): which credential a personal-first fallback ends on"]
        for chain in chains {
            lines.append("chain \(chain.chain.name): \(chain.chain.credentials.joined(separator: " → "))")
            for kind in chain.kinds where kind.total > 0 {
                let reached = kind.reachedOn.filter { $0.count > 0 }.map { "\($0.credential) \($0.count)" }.joined(separator: ", ")
                lines.append("  \(kind.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(kind.total) total; ends on: \(reached.isEmpty ? "—" : reached); reached by none: \(kind.unreached)")
                for example in kind.unreachedExamples { lines.append("      none: \(example)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
