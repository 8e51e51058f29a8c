import Foundation

/// What a notification says, before any target's format: the run, its counts, the new findings,
/// what to do first, and what earlier messages to this target failed to deliver.
public struct NotificationContent: Sendable, Equatable {
    public struct Line: Sendable, Equatable, Codable {
        public var key: String
        public var kind: String
        public var severity: String
        /// One line as the text report writes it (names cleaned of control characters).
        public var text: String
    }

    public struct KindCount: Sendable, Equatable {
        public var kind: String
        public var title: String
        public var total: Int
        public var new: Int
    }

    public var runID: String
    public var status: String
    public var reason: String?
    public var finishedAt: String?
    /// Findings that are not accepted, and the new ones among them.
    public var total: Int
    public var new: Int
    public var perKind: [KindCount]
    /// The first new findings (at most ``topNew``), highest severity first.
    public var newFindings: [Line]
    /// How many new findings are not in ``newFindings``.
    public var moreNew: Int
    public var firstStep: String?
    public var reportURL: String?
    /// New findings of earlier runs whose message to this target was never delivered.
    public var undelivered: [Line] = []
    /// A test message (`notify --test`), not a run.
    public var isTest = false

    /// Most new findings a message lists.
    public static let topNew = 10

    /// The content of a stored run's report.
    public static func of(_ report: AuditReport, reportURL: String?) -> NotificationContent {
        // `report` may hold only the first findings of each kind (new first); the counts come from SQL.
        let newOpen = report.findings.filter { $0.accepted == nil && $0.new }
        let sorted = newOpen.sorted { a, b in
            let (left, right) = (FindingSeverity(rawValue: a.severity) ?? .info, FindingSeverity(rawValue: b.severity) ?? .info)
            return left != right ? left > right : (a.kind, a.key) < (b.kind, b.key)
        }
        let tally = report.tallyOfAll
        let perKind = Dictionary(grouping: report.tallies, by: \.kind).map { kind, tallies in
            KindCount(kind: kind, title: FindingKind(rawValue: kind)?.definition.title ?? kind,
                      total: tallies.reduce(0) { $0 + $1.open }, new: tallies.reduce(0) { $0 + $1.newOpen })
        }.filter { $0.total > 0 }.sorted { ($0.new, $0.total, $1.kind) > ($1.new, $1.total, $0.kind) }
        let plan = RemediationPlan.steps(for: report).first
        return NotificationContent(
            runID: report.run.id, status: report.run.status, reason: report.run.reason, finishedAt: report.run.finishedAt,
            total: tally.open, new: tally.newOpen, perKind: perKind,
            newFindings: sorted.prefix(topNew).map(Self.line), moreNew: max(0, tally.newOpen - min(topNew, sorted.count)),
            firstStep: plan.map { step in
                let title = step.title.trimmingCharacters(in: .whitespaces)
                return title + (title.last.map { ".:!?".contains($0) } == true ? " " : ": ") + TextSafe.clean(step.text, limit: 300)
            }, reportURL: reportURL)
    }

    static func line(_ finding: Finding) -> Line {
        Line(key: finding.key, kind: finding.kind, severity: finding.severity, text: TextSafe.clean(TextRenderer.describe(finding), limit: 300))
    }

    /// A message that proves the target works (`notify --test`).
    public static func test(reportURL: String?) -> NotificationContent {
        var content = NotificationContent(runID: "test", status: "test", reason: nil, finishedAt: nil, total: 0, new: 0, perKind: [],
                                          newFindings: [], moreNew: 0, firstStep: nil, reportURL: reportURL)
        content.isTest = true
        return content
    }

    /// Whether a run with these counts is worth a message under `when` (undelivered findings
    /// always are: they were new when they happened).
    public func deserves(_ when: NotifyTarget.When) -> Bool {
        if isTest || !undelivered.isEmpty { return true }
        let incomplete = status != RunStatus.complete.rawValue
        switch when {
        case .always: return true
        case .any: return incomplete || total > 0
        case .new: return incomplete || new > 0
        }
    }

    /// One headline: status, counts.
    var headline: String {
        if isTest { return "coze-audit: test message (the notification target works)" }
        let status = self.status == RunStatus.complete.rawValue ? "complete" : "\(self.status.uppercased())"
        return "coze-audit run \(runID) \(status): \(total) finding\(total == 1 ? "" : "s"), \(new) new"
    }
}
