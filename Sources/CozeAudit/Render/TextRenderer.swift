import Foundation

/// The plain-text report for people and cron mail: a headline, one summary line per finding
/// kind, then the findings (all, or only the new ones).
public enum TextRenderer {
    public enum Detail: Sendable { case all, newOnly, summaryOnly }

    public static func render(_ report: AuditReport, detail: Detail = .all) -> String {
        var lines: [String] = []
        let inv = report.inventory
        let all = report.tallyOfAll
        let newCount = all.new
        lines.append("coze-audit run \(report.run.id) \(report.run.status) at \(report.run.startedAt): "
            + "\(report.credentials.count) credentials, \(inv.workspace) workspaces, \(inv.bot) bots, "
            + "\(inv.conversation) conversations, \(inv.voice) voices, \(inv.app) apps, \(inv.workflow) workflows; "
            + "\(all.total) findings (\(newCount) new)")
        if let reason = report.run.reason { lines.append("  \(report.run.status): \(TextSafe.clean(reason, limit: 400))") }
        if let pruned = report.run.detailPrunedAt {
            lines.append("  detail pruned \(pruned) (retention): counts, findings and credential history kept; sightings and listings deleted")
        }
        // Cron mode: nothing new → one line (plus why the run is incomplete, if it is).
        if detail == .summaryOnly || (detail == .newOnly && newCount == 0) { return lines.joined(separator: "\n") + "\n" }
        for credential in report.credentials where credential.status != "ok" {
            lines.append("  credential \(credential.name) (\(credential.fingerprint)): \(credential.status)")
        }
        for history in report.credentialHistory where history.fingerprintChangedInRun == report.run.id {
            lines.append("  credential \(history.credential): fingerprint changed in this run (now \(history.fingerprint)); the same name now holds another secret")
        }
        let kinds = FindingKind.allCases
        for kind in kinds {
            let tally = report.tally(of: kind.rawValue)
            guard tally.total > 0 else { continue }
            lines.append("  \(kind.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(tally.total).leftPad(4)) (\(tally.new) new)  \(kind.title)")
        }
        let shown = report.findings.filter { detail == .all || $0.new }
        if !shown.isEmpty { lines.append("") }
        var evidenceSaid: Set<String> = []
        for finding in shown {
            // Evidence that holds for the whole kind is said once, before its first row.
            if evidenceSaid.insert(finding.kind).inserted {
                let evidence = report.notObservedBy(kind: finding.kind)
                if !evidence.isEmpty { lines.append("    \(finding.kind) not observed by: \(evidence.joined(separator: "; "))") }
            }
            var line = "\(finding.new ? "NEW " : "    ")\(finding.kind): \(describe(finding))"
            if let accepted = finding.accepted {
                line += " [accepted: \(TextSafe.clean(accepted.reason))\(accepted.expires.map { " until \($0)" } ?? "")]"
            } else if let expired = finding.acceptanceExpired {
                line += " [acceptance expired \(expired)]"
            }
            lines.append(line)
        }
        // A report loaded with a per-kind limit (a very large run) says what it left out.
        for kind in kinds {
            let tally = report.tally(of: kind.rawValue)
            let expected = detail == .all ? tally.total : tally.new
            let listed = shown.filter { $0.kind == kind.rawValue }.count
            if expected > listed {
                lines.append("    … \(expected - listed) more \(detail == .all ? "" : "new ")\(kind.rawValue) findings: coze-audit report --format csv")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The finding on one line, as its kind's definition words it (a kind this build does not
    /// know, from a newer tool's database, shows its subject).
    static func describe(_ finding: Finding) -> String {
        FindingKind(rawValue: finding.kind)?.definition.line(finding) ?? finding.subject
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
