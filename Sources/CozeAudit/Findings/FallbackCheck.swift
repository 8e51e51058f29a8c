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
    ///
    /// Counted in SQL (one pass over the run's sightings per chain, in primary-key order), so a
    /// million-resource run is a second's work in constant memory; only the first `listLimit`
    /// unreached resources of a kind are ever read into memory.
    public static func compute(store: AuditStore, runID: Int64, chains: [Chain]) throws -> FallbackCheck {
        try store.read { db in
            // Stranded resources not seen in the run, per kind: reached by none.
            var stranded: [String: Int] = [:]
            for row in try KindCount.fetchAll(db, sql: "SELECT f.resource_type AS kind, count(*) AS n FROM finding f "
                + "WHERE f.run_id = ? AND f.kind = 'stranded' AND NOT EXISTS (\(seenSQL(kind: "f.resource_type", id: "f.resource_id"))) "
                + "GROUP BY f.resource_type", arguments: [runID, runID]) {
                stranded[row.kind] = row.n
            }
            let results = try chains.map { chain in
                // (kind, position of the first chain credential that saw it, or NULL) → resources
                var reached: [String: [Int: Int]] = [:]
                var unreached: [String: Int] = stranded
                var totals: [String: Int] = stranded
                for row in try ChainPositionCount.fetchAll(db, sql: """
                    WITH \(chainSQL(chain)),
                    seen AS (
                      SELECT s.kind, s.resource_id, min(ch.pos) AS pos
                      FROM sighting s JOIN credential c ON c.id = s.credential_id LEFT JOIN chain ch ON ch.name = c.name
                      WHERE s.run_id = ? AND \(notSystemSQL)
                      GROUP BY s.kind, s.resource_id)
                    SELECT kind, pos, count(*) AS n FROM seen GROUP BY kind, pos
                    """, arguments: StatementArguments(chainArguments(chain) + [runID])) {
                    totals[row.kind, default: 0] += row.n
                    if let position = row.pos {
                        reached[row.kind, default: [:]][position] = row.n
                    } else {
                        unreached[row.kind, default: 0] += row.n
                    }
                }
                return ChainResult(chain: chain, kinds: try ResourceKind.allCases.map(\.rawValue).map { kind in
                    let positions = reached[kind] ?? [:]
                    let count = unreached[kind] ?? 0
                    return KindResult(
                        kind: kind, total: totals[kind] ?? 0,
                        reachedOn: chain.credentials.enumerated().map { index, credential in
                            // A credential listed twice counts at its first place only.
                            Reached(credential: credential,
                                    count: chain.credentials.firstIndex(of: credential) == index ? positions[index] ?? 0 : 0)
                        },
                        unreached: count,
                        unreachedExamples: count == 0 ? [] : try examples(db, runID: runID, chain: chain, kind: kind))
                })
            }
            return FallbackCheck(run: String(runID), chains: results)
        }
    }

    /// The first `listLimit` resources of `kind` (by id) that the chain reaches on none, "kind:id name".
    static func examples(_ db: Database, runID: Int64, chain: Chain, kind: String) throws -> [String] {
        try ResourceIDName.fetchAll(db, sql: """
            WITH \(chainSQL(chain))
            SELECT id, (SELECT name FROM resource WHERE kind = ? AND id = u.id) AS name FROM (
              SELECT s.resource_id AS id
              FROM sighting s JOIN credential c ON c.id = s.credential_id LEFT JOIN chain ch ON ch.name = c.name
              WHERE s.run_id = ? AND s.kind = ? AND \(notSystemSQL)
              GROUP BY s.resource_id HAVING min(ch.pos) IS NULL
              UNION
              SELECT f.resource_id FROM finding f
              WHERE f.run_id = ? AND f.kind = 'stranded' AND f.resource_type = ?
                AND NOT EXISTS (\(seenSQL(kind: "f.resource_type", id: "f.resource_id")))
            ) u ORDER BY id LIMIT \(listLimit)
            """, arguments: StatementArguments(chainArguments(chain) + [kind, runID, kind, runID, kind, runID])).map { row in
            "\(kind):\(row.id)" + (row.name.map { " \"\(TextSafe.clean($0, limit: 60))\"" } ?? "")
        }
    }

    /// `chain(name, pos)`: the chain's credentials in order (one NULL row for an empty chain).
    static func chainSQL(_ chain: Chain) -> String {
        chain.credentials.isEmpty ? "chain(name, pos) AS (SELECT NULL, NULL)"
            : "chain(name, pos) AS (VALUES " + chain.credentials.map { _ in "(?, ?)" }.joined(separator: ", ") + ")"
    }

    static func chainArguments(_ chain: Chain) -> [any DatabaseValueConvertible] {
        chain.credentials.enumerated().flatMap { index, name -> [any DatabaseValueConvertible] in [name, index] }
    }

    /// System voices are nobody's: left out (only voices can be system resources).
    static let notSystemSQL = "(s.kind <> 'voice' OR NOT EXISTS (SELECT 1 FROM resource r WHERE r.kind = s.kind AND r.id = s.resource_id AND r.is_system = 1))"

    /// Seen in the run (not a system voice); binds one argument, the run id.
    static func seenSQL(kind: String, id: String) -> String {
        "SELECT 1 FROM sighting s WHERE s.run_id = ? AND s.kind = \(kind) AND s.resource_id = \(id) AND \(notSystemSQL)"
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
