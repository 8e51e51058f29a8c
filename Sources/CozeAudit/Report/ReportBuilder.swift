import Foundation
import GRDB

/// Reads one stored run into the report view model. Read-only; safe while another run writes.
public enum ReportBuilder {
    /// The latest run if `runID` is nil. With `findingsPerKind`, a kind with more findings than
    /// that holds only its first ones (new first, then by key) and `tallies` has the real counts:
    /// the HTML report and the run summary of a million-resource audit stay small and fast.
    public static func build(store: AuditStore, runID: Int64? = nil, findingsPerKind: Int? = nil) throws -> AuditReport {
        let path = store.path
        return try store.read { db in try build(db, runID: runID, findingsPerKind: findingsPerKind, databasePath: path) }
    }

    /// - Parameter databasePath: where the run lock lives; with it, a run left `running` by a dead
    ///   process is shown `failed` (interrupted) (``RunLiveness``).
    public static func build(_ db: Database, runID requested: Int64?, findingsPerKind: Int? = nil,
                             databasePath: String? = nil) throws -> AuditReport {
        let runID = try AuditStore.runID(db, requested)
        let interrupted = try RunLiveness.interruptedRuns(db, databasePath: databasePath).contains(runID)
        guard let run = try AuditStore.run(db, id: runID)?.shown(interrupted: interrupted) else {
            throw StoreError.unknownRun(runID)
        }
        let previous = try FindingsEngine.previousCompleteRun(db, before: runID)
        let tallies = try tallies(db, runID: runID)
        // A pruned run (retention) has no sightings left: its counts were kept in the run rows.
        let prunedAt = run.prunedAt
        let storedInventory = prunedAt == nil ? nil : AuditReport.Inventory.decode(run.inventory)
        var report = AuditReport(
            run: .init(id: String(runID), startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status.rawValue,
                       reason: run.reason, baseURL: run.baseURL, detailPrunedAt: prunedAt),
            credentials: try credentials(db, runID: runID, pruned: prunedAt != nil),
            inventory: try storedInventory ?? inventory(db, runID: runID, credentialID: nil),
            findings: try findings(db, runID: runID, tallies: tallies, perKind: findingsPerKind),
            previousRun: previous.map(String.init),
            credentialHistory: try CredentialHistory.load(db, upTo: runID))
        report.tallies = tallies
        report.listingNotes = try listingNotes(db, runID: runID)
        try addEvidence(db, runID: runID, to: &report.findings)
        return report
    }

    /// Why a resource counts as unseen by the enterprise: the enterprise credentials' listings
    /// of its kind that answered 4101 / 4100 / not found in this run ("not observed", docs/product.md §3).
    static func addEvidence(_ db: Database, runID: Int64, to findings: inout [Finding]) throws {
        let kinds = Set(FindingKind.allCases.filter(\.definition.enterpriseEvidence).map(\.rawValue))
        guard findings.contains(where: { kinds.contains($0.kind) }) else { return }
        var byKind: [String: [String]] = [:]
        for row in try RefusedListings.fetchAll(db, sql: """
            SELECT l.kind, c.name, l.endpoint, l.code, l.http_status, l.status,
                   CASE WHEN l.endpoint LIKE 'POST %' THEN l.message END AS message, count(*) AS n
            FROM listing l
            JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
            JOIN credential c ON c.id = l.credential_id
            WHERE l.run_id = ? AND rc.side = 'enterprise' AND l.status IN ('denied', 'invalid')
            GROUP BY l.kind, c.name, l.endpoint, l.code, l.http_status, l.status, CASE WHEN l.endpoint LIKE 'POST %' THEN l.message END
            ORDER BY c.name, l.endpoint
            """, arguments: [runID]) {
            let answer = answerWords(code: row.code, httpStatus: row.httpStatus, status: row.status, message: row.message)
            byKind[row.kind, default: []].append("\(row.name): \(row.endpoint) answered \(answer)" + (row.n > 1 ? " (\(row.n) listings)" : ""))
        }
        guard !byKind.isEmpty else { return }
        for index in findings.indices where kinds.contains(findings[index].kind) {
            guard let type = findings[index].resourceType else { continue }
            // A conversation is also unseen when its bot or workspace listing was refused.
            let chain = ResourceKind(rawValue: type)?.listingsNeeded ?? [type]
            let evidence = chain.flatMap { byKind[$0] ?? [] }
            if !evidence.isEmpty { findings[index].enterpriseNotObserved = evidence }
        }
    }

    /// What a refusing listing answered: its Coze code; for a token endpoint (which sends no Coze
    /// code) the OAuth error (`access_deny`, stored first in the listing's message); else the HTTP status.
    static func answerWords(code: Int?, httpStatus: Int?, status: String, message: String?) -> String {
        if let code { return String(code) }
        if let message, let oauth = oauthErrorCode(message) { return oauth }
        if let httpStatus { return "HTTP \(httpStatus)" }
        return status
    }

    /// The OAuth error code a token endpoint's refusal starts with (`access_deny: the app …`).
    static func oauthErrorCode(_ message: String) -> String? {
        guard let colon = message.firstIndex(of: ":") else { return nil }
        let code = message[..<colon]
        guard !code.isEmpty, code.count <= 40, code.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLowercase) }) else { return nil }
        return String(code)
    }

    /// Listings whose pages disagreed with the server's own counts (not failures; docs/evidence.md).
    static func listingNotes(_ db: Database, runID: Int64) throws -> [AuditReport.ListingNote] {
        try ListingNoteRow.fetchAll(db, sql: """
            SELECT c.name, l.endpoint, l.params, l.status, l.note FROM listing l JOIN credential c ON c.id = l.credential_id
            WHERE l.run_id = ? AND l.note IS NOT NULL AND l.kind <> 'user' AND l.note NOT LIKE 'not asked:%'
            ORDER BY c.name, l.endpoint, l.params
            """, arguments: [runID]).map { row in
            AuditReport.ListingNote(credential: row.name, endpoint: row.endpoint, params: row.params, status: row.status, note: row.note)
        }
    }

    /// Findings per kind and resource type: all, new, open (not accepted), new and open.
    static func tallies(_ db: Database, runID: Int64) throws -> [FindingTally] {
        try FindingTally.fetchAll(db, sql: """
            SELECT kind, resource_type, count(*) AS total, sum(is_new) AS new,
              sum(accepted_reason IS NULL) AS open, sum(is_new AND accepted_reason IS NULL) AS new_open,
              max(\(FindingTally.severityRankSQL)) AS severity_rank
            FROM finding WHERE run_id = ? GROUP BY kind, resource_type ORDER BY kind, resource_type
            """, arguments: [runID])
    }

    static func inventory(_ db: Database, runID: Int64, credentialID: Int64?) throws -> AuditReport.Inventory {
        var inventory = AuditReport.Inventory()
        // One query per case so each uses its index (a credential: sighting_by_credential); only
        // voices can be system resources, so only they are looked up in `resource`.
        let notSystem = "(s.kind <> 'voice' OR NOT EXISTS (SELECT 1 FROM resource r WHERE r.kind = s.kind AND r.id = s.resource_id AND r.is_system = 1))"
        let rows = try credentialID.map { credentialID in
            try KindCount.fetchAll(db, sql: """
                SELECT s.kind, count(DISTINCT s.resource_id) AS n FROM sighting s
                WHERE s.run_id = ? AND s.credential_id = ? AND \(notSystem)
                GROUP BY s.kind
                """, arguments: [runID, credentialID])
        } ?? KindCount.fetchAll(db, sql: """
            SELECT s.kind, count(DISTINCT s.resource_id) AS n FROM sighting s
            WHERE s.run_id = ? AND \(notSystem)
            GROUP BY s.kind
            """, arguments: [runID])
        for row in rows { inventory[row.kind] = row.n }
        return inventory
    }

    static func credentials(_ db: Database, runID: Int64, pruned: Bool = false) throws -> [AuditReport.CredentialInfo] {
        let rows = try RunCredentialRow.fetchAll(db, sql: """
            SELECT rc.*, c.name FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
            WHERE rc.run_id = ? ORDER BY c.name
            """, arguments: [runID])
        return try rows.map { row in
            AuditReport.CredentialInfo(
                name: row.name, side: row.side, auth: row.auth, fingerprint: row.fingerprint,
                status: row.status == "pending" ? "error" : row.status, userID: row.userId, detail: row.detail,
                requests: row.requests, failedRequests: row.failedRequests,
                sees: try (pruned ? AuditReport.Inventory.decode(row.sees) : nil) ?? inventory(db, runID: runID, credentialID: row.credentialId))
        }
    }

    /// Every finding of the run, or with `perKind` the first ones of each larger kind (new first).
    static func findings(_ db: Database, runID: Int64, tallies: [FindingTally], perKind: Int?) throws -> [Finding] {
        guard let perKind else { return try findings(db, where: "f.run_id = ?", arguments: [runID]) }
        var totals: [String: Int] = [:]
        for tally in tallies { totals[tally.kind, default: 0] += tally.total }
        var findings: [Finding] = []
        for (kind, total) in totals.sorted(by: { $0.key < $1.key }) {
            guard total > perKind else {
                findings += try self.findings(db, where: "f.run_id = ? AND f.kind = ?", arguments: [runID, kind])
                continue
            }
            for isNew in [true, false] where findings.filter({ $0.kind == kind }).count < perKind {
                let limit = perKind - findings.filter({ $0.kind == kind }).count
                findings += try self.findings(db, where: "f.run_id = ? AND f.kind = ? AND f.is_new = ?",
                                              order: "ORDER BY f.key LIMIT \(limit)", arguments: [runID, kind, isNew])
            }
        }
        return sorted(findings)
    }

    static func findings(_ db: Database, where condition: String, order: String = "", arguments: StatementArguments) throws -> [Finding] {
        let records = try FindingRecord.fetchAll(db, sql: """
            SELECT f.*, r.name AS resource_name, r.parent_id AS parent_id,
              parent.name AS parent_name, parent.parent_id AS grandparent_id, grandparent.name AS grandparent_name
            FROM finding f
            LEFT JOIN resource r ON r.kind = f.resource_type AND r.id = f.resource_id
            LEFT JOIN resource parent ON parent.id = r.parent_id
              AND parent.kind = CASE f.resource_type WHEN 'bot' THEN 'workspace' WHEN 'app' THEN 'workspace'
                WHEN 'workflow' THEN 'workspace' WHEN 'conversation' THEN 'bot' END
            LEFT JOIN resource grandparent ON grandparent.kind = 'workspace' AND grandparent.id = parent.parent_id
              AND f.resource_type = 'conversation'
            WHERE \(condition) \(order)
            """, arguments: arguments)
        let findings = records.map { record -> Finding in
            let definition = FindingKind(rawValue: record.kind)?.definition
            let type = record.resourceType
            // Only kinds that read their details decode them; decoding every row's JSON dominates a large report.
            let details = definition?.detailKeys.isEmpty == false ? FindingDetails.decode(record.details) : FindingDetails()
            var finding = Finding(
                kind: record.kind, key: record.key, severity: record.severity,
                resourceType: type, resourceID: record.resourceID, name: record.resourceName,
                workspace: nil, bot: nil,
                seenBy: type == nil ? nil : (decodeArray(record.seenBy) ?? []).sorted(),
                credential: record.credential, reason: record.reason, endpoint: record.endpoint, code: record.code,
                exclusiveResources: definition?.countsExclusiveResources == true ? record.count : nil,
                notObserved: details.notObserved, servedBy: details.servedBy,
                lastSeenRun: details.lastSeenRun, lastSeen: details.lastSeenAt,
                new: record.isNew, firstSeenRun: String(record.firstRunID),
                remedy: definition?.remedy ?? "",
                accepted: record.acceptedReason.map { .init(reason: $0, expires: record.acceptedExpires) },
                acceptanceExpired: record.acceptanceExpired)
            definition?.finish?(&finding)
            switch type {
            case "bot", "app", "workflow": finding.workspace = label(record.parentName, record.parentID)
            case "conversation":
                finding.bot = label(record.parentName, record.parentID)
                finding.workspace = label(record.grandparentName, record.grandparentID)
            default: break
            }
            return finding
        }
        return sorted(findings)
    }

    /// By kind (in the order of ``FindingKind``'s cases: for people), then key. A kind this build
    /// does not know (a newer tool wrote the database) comes last.
    static func sorted(_ findings: [Finding]) -> [Finding] {
        let order = Dictionary(uniqueKeysWithValues: FindingKind.allCases.enumerated().map { ($1.rawValue, $0) })
        return findings.sorted { lhs, rhs in
            let l = order[lhs.kind] ?? order.count, r = order[rhs.kind] ?? order.count
            return (l, lhs.kind, lhs.key) < (r, rhs.kind, rhs.key)
        }
    }

    static func label(_ name: String?, _ id: String?) -> String? {
        guard let id else { return nil }
        guard let name, !name.isEmpty else { return id }
        return "\(name) (\(id))"
    }

    static func decodeArray(_ text: String?) -> [String]? {
        guard let data = text?.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String]
    }
}
