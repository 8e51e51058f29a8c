import AuditReports
import Foundation
import Mustache

/// `report --format html`: one self-contained file (inline CSS and SVG, no script, no external
/// request) from `reports/summary.mustache`. Every API-supplied string goes through Mustache's
/// `{{…}}` escaping; the only unescaped inserts are the CSS and the SVG this tool generates.
public enum HTMLRenderer {
    /// Rows shown per finding kind before folding into "… and N more": keeps a report of a very
    /// large enterprise small enough to open (the CSV has every row).
    public static let rowsPerGroup = 200

    public static func render(_ report: AuditReport, history: RunHistory? = nil, fallback: FallbackCheck? = nil) throws -> String {
        let template = try MustacheTemplate(string: AuditReports.summaryTemplate)
        return template.render(context(report, history: history, fallback: fallback))
    }

    static func context(_ report: AuditReport, history: RunHistory?, fallback: FallbackCheck? = nil) -> [String: Any] {
        let kinds = FindingKind.allCases
        var cards: [[String: Any]] = []
        var groups: [[String: Any]] = []
        for kind in kinds {
            let findings = report.findings.filter { $0.kind == kind.rawValue }
            // Counted in SQL: a large run's report holds only the first rows of each kind.
            let tally = report.tally(of: kind.rawValue)
            let fresh = tally.new
            // The card shows the highest severity the SQL gave this run's findings of the kind: the
            // same values the CSV and JSON print, so no format can disagree.
            cards.append(["severity": tally.severity?.rawValue ?? FindingSeverity.info.rawValue, "count": tally.total,
                          "title": kind.title, "newCount": fresh == 0 ? false : fresh])
            guard !findings.isEmpty else { continue }
            let columns = kind.definition.columns
            let rows = findings.prefix(rowsPerGroup).map { finding -> [String: Any] in
                ["new": finding.new, "cells": columns.map { safe($0.value(finding)) }]
            }
            // Evidence that holds for the whole kind, said once above its table, not on every row.
            let evidence = report.notObservedBy(kind: kind.rawValue)
            groups.append(["kind": kind.rawValue, "title": kind.title, "count": tally.total,
                           "newCount": fresh == 0 ? false : fresh, "remedy": kind.remedy, "columns": columns.map(\.header),
                           "hasNotObservedBy": !evidence.isEmpty,
                           "notObservedBy": evidence.enumerated().map { ["item": safe($1), "more": $0 < evidence.count - 1] },
                           "rows": rows, "hidden": tally.total > rows.count ? tally.total - rows.count : false])
        }
        let credentials = report.credentials.map { credential -> [String: Any] in
            let rate = credential.requests == 0 ? "—"
                : String(format: "%.0f%%", 100 * Double(credential.requests - credential.failedRequests) / Double(credential.requests))
            return ["name": safe(credential.name), "side": credential.side, "auth": credential.auth,
                    "fingerprint": credential.fingerprint, "status": credential.status,
                    "sees": ["workspace": credential.sees.workspace, "bot": credential.sees.bot,
                             "conversation": credential.sees.conversation, "voice": credential.sees.voice],
                    "requests": credential.requests, "successRate": rate]
        }
        let credentialHistory = report.credentialHistory.map { h -> [String: Any] in
            ["credential": safe(h.credential), "side": h.side, "auth": h.auth, "fingerprint": h.fingerprint,
             "changed": present(h.fingerprintChangedInRun), "firstSeen": h.firstSeenRun, "lastValid": h.lastValidRun ?? "never",
             "invalidSince": h.invalidSinceRun ?? "—", "runs": h.runs, "requests": h.requests,
             "successRate": h.successRate.map { String(format: "%.1f%%", $0) } ?? "—"]
        }
        var context: [String: Any] = [
            "history": credentialHistory,
            "css": AuditReports.css,
            "run": ["id": report.run.id, "status": report.run.status, "startedAt": report.run.startedAt,
                    "finishedAt": present(report.run.finishedAt), "reason": present(report.run.reason.map(safe)),
                    "prunedAt": present(report.run.detailPrunedAt),
                    "baseURL": safe(report.run.baseURL)],
            "previousRun": present(report.previousRun),
            "toolVersion": present(report.toolVersion),
            "cards": cards, "groups": groups, "credentials": credentials, "credentialCount": report.credentials.count,
            "hasNotes": !report.listingNotes.isEmpty,
            "notes": report.listingNotes.map { note -> [String: Any] in
                ["credential": safe(note.credential), "endpoint": note.endpoint, "params": safe(note.params), "note": safe(note.note)]
            },
            "inventory": ["workspace": report.inventory.workspace, "bot": report.inventory.bot,
                          "conversation": report.inventory.conversation, "voice": report.inventory.voice],
            "plan": RemediationPlan.steps(for: report).map { step -> [String: Any] in
                ["title": step.title, "text": step.text, "link": present(step.link), "linkText": step.linkText ?? ""]
            },
        ]
        if let fallback {
            context["fallback"] = fallback.chains.map { chain -> [String: Any] in
                ["name": safe(chain.chain.name), "credentials": chain.chain.credentials.map(safe).joined(separator: " → "),
                 "kinds": chain.kinds.filter { $0.total > 0 }.map { kind -> [String: Any] in
                     ["kind": kind.kind, "total": kind.total,
                      "reached": kind.reachedOn.filter { $0.count > 0 }.map { "\(safe($0.credential)) \($0.count)" }.joined(separator: ", "),
                      "unreached": kind.unreached, "examples": kind.unreachedExamples.map(safe).joined(separator: "; ")]
                 }]
            }
        }
        if let history, history.runs.count >= 1 {
            context["hasTrends"] = true
            context["findingsChart"] = SVGChart.stackedBars(history.findingsPerRun(kinds: kinds.map(\.rawValue)))
            context["successChart"] = SVGChart.lines(history.successRatePerCredential())
        }
        return context
    }

    /// A value for a Mustache section: the string, or `false` so `{{#x}}` renders nothing.
    /// (`optional ?? false` in an `Any` context keeps the Optional and renders "nil".)
    static func present(_ value: String?) -> Any {
        guard let value else { return false }
        return value
    }

    /// XML forbids most control characters even when escaped; a hostile name must not make the
    /// report unparseable. Very long names are shortened (the JSON keeps them whole).
    static func safe(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            let v = scalar.value
            // Mustache escapes per Character; "<" + U+0301 is one Character it would not escape.
            // A combining mark after markup-significant ASCII is dropped so "<" stands alone.
            if let previous, "<>&\"'".unicodeScalars.contains(previous),
               [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory) {
                continue
            }
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v <= 0xD7FF)
                || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
            out.append(allowed ? scalar : "\u{FFFD}")
        }
        let cleaned = String(out)
        return cleaned.count > 300 ? String(cleaned.prefix(299)) + "…" : cleaned
    }
}
