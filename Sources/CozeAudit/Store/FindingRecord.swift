import Foundation
import GRDB

/// One stored finding as the report query reads it (the `finding` row plus the names of its
/// resource and parents): the only place that knows the column names, so the report builder
/// works with typed values.
struct FindingRecord: FetchableRecord {
    enum Columns {
        static let kind = Column("kind"), key = Column("key"), severity = Column("severity")
        static let resourceType = Column("resource_type"), resourceID = Column("resource_id")
        static let credential = Column("credential"), reason = Column("reason"), endpoint = Column("endpoint")
        static let code = Column("code"), count = Column("count"), seenBy = Column("seen_by"), details = Column("details")
        static let isNew = Column("is_new"), firstRunID = Column("first_run_id")
        static let acceptedReason = Column("accepted_reason"), acceptedExpires = Column("accepted_expires")
        static let acceptanceExpired = Column("acceptance_expired")
        // Joined by ``ReportBuilder/findings(_:where:order:arguments:)``.
        static let resourceName = Column("resource_name"), parentID = Column("parent_id"), parentName = Column("parent_name")
        static let grandparentID = Column("grandparent_id"), grandparentName = Column("grandparent_name")
    }

    var kind: String
    var key: String
    var severity: String
    var resourceType: String?
    var resourceID: String?
    var resourceName: String?
    var credential: String?
    var reason: String?
    var endpoint: String?
    var code: Int?
    var count: Int?
    /// JSON array of credential names.
    var seenBy: String?
    /// JSON object a kind's SQL adds (``FindingDetails``).
    var details: String?
    var isNew: Bool
    var firstRunID: Int64
    var acceptedReason: String?
    var acceptedExpires: String?
    var acceptanceExpired: String?
    var parentID: String?
    var parentName: String?
    var grandparentID: String?
    var grandparentName: String?

    init(row: Row) {
        kind = row[Columns.kind]
        key = row[Columns.key]
        severity = row[Columns.severity]
        resourceType = row[Columns.resourceType]
        resourceID = row[Columns.resourceID]
        resourceName = row[Columns.resourceName]
        credential = row[Columns.credential]
        reason = row[Columns.reason]
        endpoint = row[Columns.endpoint]
        code = row[Columns.code]
        count = row[Columns.count]
        seenBy = row[Columns.seenBy]
        details = row[Columns.details]
        isNew = row[Columns.isNew]
        firstRunID = row[Columns.firstRunID]
        acceptedReason = row[Columns.acceptedReason]
        acceptedExpires = row[Columns.acceptedExpires]
        acceptanceExpired = row[Columns.acceptanceExpired]
        parentID = row[Columns.parentID]
        parentName = row[Columns.parentName]
        grandparentID = row[Columns.grandparentID]
        grandparentName = row[Columns.grandparentName]
    }
}

/// The `details` JSON some kinds' SQL stores with a finding (`stale_pat`: the listings a
/// superseded PAT was refused; `stranded`: when it was last seen; `app_not_authorized`: the
/// token path that served instead). Typed, so a renamed key fails to decode in tests rather than
/// reading as absent.
struct FindingDetails: Decodable, Sendable {
    var notObserved: [String]?
    var servedBy: String?
    var lastSeenRun: String?
    var lastSeenAt: String?

    enum CodingKeys: String, CodingKey {
        case notObserved = "not_observed", servedBy = "served_by", lastSeenRun = "last_seen_run", lastSeenAt = "last_seen_at"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notObserved = try container.decodeIfPresent([String].self, forKey: .notObserved)
        servedBy = try container.decodeIfPresent(String.self, forKey: .servedBy)
        // SQLite's json_object writes a run id as a number; accept a string as well.
        lastSeenRun = try (try? container.decodeIfPresent(Int64.self, forKey: .lastSeenRun)).flatMap { $0.map(String.init) }
            ?? container.decodeIfPresent(String.self, forKey: .lastSeenRun)
        lastSeenAt = try container.decodeIfPresent(String.self, forKey: .lastSeenAt)
    }

    /// Empty when the column is NULL or not the JSON object the queries write.
    static func decode(_ text: String?) -> FindingDetails {
        guard let data = text?.data(using: .utf8) else { return FindingDetails() }
        return (try? JSONDecoder().decode(FindingDetails.self, from: data)) ?? FindingDetails()
    }
}

extension FindingTally: FetchableRecord {
    /// A finding's severity as its place in ``FindingSeverity/allCases``, so SQL's `max` finds the
    /// highest; ``init(row:)`` reads it back.
    static let severityRankSQL = "CASE severity " + FindingSeverity.allCases.enumerated()
        .map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ") + " END"

    /// A row of ``ReportBuilder/tallies(_:runID:)``: counts per kind and resource type, and the
    /// highest severity as its place in ``FindingSeverity/allCases``.
    public init(row: Row) {
        let rank: Int? = row["severity_rank"]
        self.init(kind: row["kind"], resourceType: row["resource_type"], total: row["total"], new: row["new"],
                  open: row["open"], newOpen: row["new_open"],
                  severity: rank.flatMap { FindingSeverity.allCases.indices.contains($0) ? FindingSeverity.allCases[$0] : nil })
    }
}

/// One `run` row: the only place that knows the table's column names
/// (``AuditStore/run(id:)``, ``AuditStore/runs()``).
public struct RunRecord: FetchableRecord, Sendable, Equatable {
    public var id: Int64
    /// As stored: a run whose process died still says `running` here (``shown(interrupted:)``).
    public var status: RunStatus
    public var reason: String?
    public var startedAt: String
    public var finishedAt: String?
    public var baseURL: String
    /// When retention deleted the run's detail; its counts are then in `inventory` (JSON).
    public var prunedAt: String?
    public var inventory: String?
    /// The process that ran it (to tell a dead `running` run from a live one).
    public var pid: Int?

    public init(row: Row) {
        id = row["id"]
        status = row["status"]
        reason = row["reason"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        baseURL = row["base_url"]
        prunedAt = row["pruned_at"]
        inventory = row["inventory"]
        pid = row["pid"]
    }

    /// The run as reports show it: one left `running` by a process that died is `failed`
    /// (interrupted), ``RunLiveness``.
    public func shown(interrupted: Bool) -> RunRecord {
        guard interrupted, status == .running else { return self }
        var run = self
        run.status = .failed
        run.reason = RunLiveness.interruptedReason
        return run
    }
}
