import Foundation

/// Everything `reports/summary.mustache` shows, typed: the template reads these properties by
/// name, so a renamed field is a compile error here rather than a silently empty cell. Optional
/// values render their section only when present (`{{#link}}…{{/link}}`); every text that came
/// from the API or the config has been through ``HTMLRenderer/safe(_:)`` and is escaped again by
/// the template.
struct HTMLReportView: Sendable {
    struct Run: Sendable {
        var id, status, startedAt, baseURL: String
        var finishedAt, reason, prunedAt: String?
    }
    struct Card: Sendable {
        var severity: String
        var count: Int
        var title: String
        var newCount: Int?
    }
    struct Evidence: Sendable {
        var item: String
        var more: Bool
    }
    struct Row: Sendable {
        var new: Bool
        var cells: [String]
    }
    struct Group: Sendable {
        var kind, title, remedy: String
        var count: Int
        var newCount: Int?
        var columns: [String]
        var hasNotObservedBy: Bool
        var notObservedBy: [Evidence]
        var rows: [Row]
        /// Findings beyond the rows shown ("… and N more").
        var hidden: Int?
    }
    struct Sees: Sendable {
        var workspace, bot, conversation, voice, app, workflow: Int

        init(_ inventory: AuditReport.Inventory) {
            (workspace, bot, conversation, voice, app, workflow) =
                (inventory.workspace, inventory.bot, inventory.conversation, inventory.voice, inventory.app, inventory.workflow)
        }
    }
    struct Credential: Sendable {
        var name, side, auth, fingerprint, status, successRate: String
        var sees: Sees
        var requests: Int
    }
    struct History: Sendable {
        var credential, side, auth, fingerprint, firstSeen, lastValid, invalidSince, successRate: String
        var changed: String?
        var runs, requests: Int
    }
    struct Note: Sendable {
        var credential, endpoint, params, note: String
    }
    struct Step: Sendable {
        var title, text, linkText: String
        var link: String?
    }
    struct FallbackKind: Sendable {
        var kind, reached, examples: String
        var total, unreached: Int
    }
    struct FallbackChain: Sendable {
        var name, credentials: String
        var kinds: [FallbackKind]
    }

    var css: String
    var run: Run
    var previousRun: String?
    var toolVersion: String?
    var cards: [Card]
    var groups: [Group]
    var credentials: [Credential]
    var credentialCount: Int
    var hasNotes: Bool
    var notes: [Note]
    var inventory: Sees
    var plan: [Step]
    var history: [History]
    var fallback: [FallbackChain]?
    var hasTrends: Bool
    var findingsChart: ChartView?
    var successChart: ChartView?
}

extension HTMLReportView {
    init(_ report: AuditReport, history runHistory: RunHistory?, fallback check: FallbackCheck?, css: String) {
        let safe = HTMLRenderer.safe
        let kinds = FindingKind.allCases
        var cards: [Card] = [], groups: [Group] = []
        for kind in kinds {
            let findings = report.findings.filter { $0.kind == kind.rawValue }
            // Counted in SQL: a large run's report holds only the first rows of each kind.
            let tally = report.tally(of: kind.rawValue)
            let fresh = tally.new == 0 ? nil : tally.new
            // The card shows the highest severity the SQL gave this run's findings of the kind: the
            // same values the CSV and JSON print, so no format can disagree.
            cards.append(Card(severity: (tally.severity ?? .info).rawValue, count: tally.total, title: kind.title, newCount: fresh))
            guard !findings.isEmpty else { continue }
            let columns = kind.definition.columns
            let rows = findings.prefix(HTMLRenderer.rowsPerGroup).map { finding in
                Row(new: finding.new, cells: columns.map { safe($0.value(finding)) })
            }
            // Evidence that holds for the whole kind, said once above its table, not on every row.
            let evidence = report.notObservedBy(kind: kind.rawValue)
            groups.append(Group(
                kind: kind.rawValue, title: kind.title, remedy: kind.remedy, count: tally.total, newCount: fresh,
                columns: columns.map(\.header), hasNotObservedBy: !evidence.isEmpty,
                notObservedBy: evidence.enumerated().map { Evidence(item: safe($1), more: $0 < evidence.count - 1) },
                rows: rows, hidden: tally.total > rows.count ? tally.total - rows.count : nil))
        }
        self.css = css
        self.run = Run(id: report.run.id, status: report.run.status, startedAt: report.run.startedAt, baseURL: safe(report.run.baseURL),
                       finishedAt: report.run.finishedAt, reason: report.run.reason.map(safe), prunedAt: report.run.detailPrunedAt)
        self.previousRun = report.previousRun
        self.toolVersion = report.toolVersion
        self.cards = cards
        self.groups = groups
        self.credentials = report.credentials.map { credential in
            let rate = credential.requests == 0 ? "—"
                : String(format: "%.0f%%", 100 * Double(credential.requests - credential.failedRequests) / Double(credential.requests))
            return Credential(name: safe(credential.name), side: credential.side, auth: credential.auth,
                              fingerprint: credential.fingerprint, status: credential.status, successRate: rate,
                              sees: Sees(credential.sees),
                              requests: credential.requests)
        }
        self.credentialCount = report.credentials.count
        self.hasNotes = !report.listingNotes.isEmpty
        self.notes = report.listingNotes.map {
            Note(credential: safe($0.credential), endpoint: $0.endpoint, params: safe($0.params), note: safe($0.note))
        }
        self.inventory = Sees(report.inventory)
        self.plan = RemediationPlan.steps(for: report).map {
            Step(title: $0.title, text: $0.text, linkText: $0.linkText ?? "", link: $0.link)
        }
        self.history = report.credentialHistory.map { h in
            History(credential: safe(h.credential), side: h.side, auth: h.auth, fingerprint: h.fingerprint,
                    firstSeen: h.firstSeenRun, lastValid: h.lastValidRun ?? "never", invalidSince: h.invalidSinceRun ?? "—",
                    successRate: h.successRate.map { String(format: "%.1f%%", $0) } ?? "—",
                    changed: h.fingerprintChangedInRun, runs: h.runs, requests: h.requests)
        }
        self.fallback = check.map { check in
            check.chains.map { chain in
                FallbackChain(
                    name: safe(chain.chain.name), credentials: chain.chain.credentials.map(safe).joined(separator: " → "),
                    kinds: chain.kinds.filter { $0.total > 0 }.map { kind in
                        FallbackKind(kind: kind.kind,
                                     reached: kind.reachedOn.filter { $0.count > 0 }.map { "\(safe($0.credential)) \($0.count)" }.joined(separator: ", "),
                                     examples: kind.unreachedExamples.map(safe).joined(separator: "; "),
                                     total: kind.total, unreached: kind.unreached)
                    })
            }
        }
        let trends = runHistory.flatMap { $0.runs.isEmpty ? nil : $0 }
        self.hasTrends = trends != nil
        self.findingsChart = trends.map { SVGChart.stackedBars($0.findingsPerRun(kinds: kinds.map(\.rawValue))) }
        self.successChart = trends.map { SVGChart.lines($0.successRatePerCredential()) }
    }
}
