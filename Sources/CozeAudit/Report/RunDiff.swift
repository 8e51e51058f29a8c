import Foundation
import GRDB

/// What changed between two runs: resources seen by any credential (system voices excluded)
/// and findings (by key) that appeared or disappeared. A finding that disappeared is resolved.
public struct RunDiff: Codable, Sendable {
    public struct Resource: Codable, Sendable, Equatable {
        public var kind: String
        public var id: String
        public var name: String
    }

    public struct FindingChange: Codable, Sendable, Equatable {
        public var key: String
        public var kind: String
        public var subject: String
    }

    public var from: String
    public var to: String
    public var resourcesAppeared: [Resource]
    public var resourcesDisappeared: [Resource]
    public var findingsAppeared: [FindingChange]
    public var findingsResolved: [FindingChange]
    /// Set when the resources were not compared: a run's resource detail was pruned (retention),
    /// so listing nothing for it would claim that everything disappeared (additive; absent otherwise).
    public var resourcesNotCompared: String?
    /// What to keep in mind about the runs compared: one that did not complete (failed, interrupted,
    /// partial) did not list everything (additive; absent when both completed).
    public var notes: [String]?

    enum CodingKeys: String, CodingKey {
        case from, to, notes
        case resourcesNotCompared = "resources_not_compared"
        case resourcesAppeared = "resources_appeared"
        case resourcesDisappeared = "resources_disappeared"
        case findingsAppeared = "findings_appeared"
        case findingsResolved = "findings_resolved"
    }

    /// Defaults: `to` = the latest complete run, `from` = the complete run before `to`.
    public static func compute(store: AuditStore, from: Int64?, to: Int64?) throws -> RunDiff {
        let path = store.path
        return try store.read { db in
            func exists(_ id: Int64) throws -> Int64 {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [id]) == true else {
                    throw StoreError.unknownRun(id)
                }
                return id
            }
            guard let toID = try to.map(exists) ?? Int64.fetchOne(db, sql: "SELECT max(id) FROM run WHERE status = 'complete'") else {
                throw StoreError.noRuns
            }
            guard let fromID = try from.map(exists) ?? Int64.fetchOne(db, sql: "SELECT max(id) FROM run WHERE status = 'complete' AND id < ?", arguments: [toID]) else {
                throw DiffError.needTwoRuns
            }
            let interrupted = try RunLiveness.interruptedRuns(db, databasePath: path)
            var notes: [String] = []
            var pruned: [String] = []
            for id in fromID == toID ? [fromID] : [fromID, toID] {
                guard let run = try AuditStore.run(db, id: id)?.shown(interrupted: interrupted.contains(id)) else { continue }
                if run.status != .complete {
                    notes.append("run \(id) is \(run.status.rawValue)" + (run.reason.map { ": \(TextSafe.clean($0, limit: 200))" } ?? "")
                                 + "; what it did not list is not a change")
                }
                if let prunedAt = run.prunedAt { pruned.append("run \(id) on \(prunedAt)") }
            }
            let compareResources = pruned.isEmpty
            return RunDiff(
                from: String(fromID), to: String(toID),
                resourcesAppeared: compareResources ? try resources(db, in: toID, notIn: fromID) : [],
                resourcesDisappeared: compareResources ? try resources(db, in: fromID, notIn: toID) : [],
                findingsAppeared: try findings(db, in: toID, notIn: fromID),
                findingsResolved: try findings(db, in: fromID, notIn: toID),
                resourcesNotCompared: compareResources ? nil
                    : "the resource detail of \(pruned.joined(separator: " and ")) was pruned (retention); findings are compared",
                notes: notes.isEmpty ? nil : notes)
        }
    }

    static func resources(_ db: Database, in a: Int64, notIn b: Int64) throws -> [Resource] {
        try Resource.fetchAll(db, sql: """
            SELECT DISTINCT s.kind, s.resource_id AS id, r.name FROM sighting s
            JOIN resource r ON r.kind = s.kind AND r.id = s.resource_id
            WHERE s.run_id = ? AND r.is_system = 0
              AND NOT EXISTS (SELECT 1 FROM sighting o WHERE o.run_id = ? AND o.kind = s.kind AND o.resource_id = s.resource_id)
            ORDER BY s.kind, s.resource_id
            """, arguments: [a, b])
    }

    static func findings(_ db: Database, in a: Int64, notIn b: Int64) throws -> [FindingChange] {
        try FindingChange.fetchAll(db, sql: """
            SELECT f.key, f.kind, COALESCE(f.resource_type || ' ' || f.resource_id, f.credential || COALESCE(': ' || f.endpoint, ''), f.key) AS subject
            FROM finding f WHERE f.run_id = ?
              AND NOT EXISTS (SELECT 1 FROM finding o WHERE o.run_id = ? AND o.key = f.key)
            ORDER BY f.kind, f.key
            """, arguments: [a, b])
    }

    public func text() -> String {
        let resources = resourcesNotCompared == nil ? "resources +\(resourcesAppeared.count) −\(resourcesDisappeared.count)" : "resources not compared"
        var lines = ["diff run \(from) → run \(to): \(resources), "
            + "findings +\(findingsAppeared.count) new, \(findingsResolved.count) resolved"]
        if let resourcesNotCompared { lines.append("  resources not compared: \(resourcesNotCompared)") }
        lines += (notes ?? []).map { "  note: \($0)" }
        lines += resourcesAppeared.map { "+ \($0.kind) \($0.id) \"\(TextSafe.clean($0.name))\"" }
        lines += resourcesDisappeared.map { "- \($0.kind) \($0.id) \"\(TextSafe.clean($0.name))\"" }
        lines += findingsAppeared.map { "+ finding \($0.kind): \(TextSafe.clean($0.subject))" }
        lines += findingsResolved.map { "✓ resolved \($0.kind): \(TextSafe.clean($0.subject))" }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> String {
        try StableJSON.encode(self)
    }
}

public enum DiffError: Error, CustomStringConvertible {
    case needTwoRuns
    public var description: String { "diff needs two complete runs (see `coze-audit runs`), or --from and --to" }
}
