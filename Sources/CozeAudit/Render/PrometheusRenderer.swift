import Foundation
import GRDB

/// `report --format prometheus` and `run --metrics-file`: a stored run in the Prometheus text
/// exposition format (version 0.0.4), for node_exporter's textfile collector.
///
/// Every series has HELP and TYPE lines; label values are escaped as the format says (`\\`, `\"`,
/// `\n`). `coze_audit_findings_new` has a series for every finding kind, zero included, so an
/// alert on it never depends on a series appearing.
public enum PrometheusRenderer {
    /// What the metrics need beyond the report: finding counts per kind and severity over every
    /// finding of the run, and when the latest complete run up to this one finished.
    public struct Extra: Sendable {
        public struct Count: Sendable, Equatable, Decodable, FetchableRecord {
            public var kind: String
            public var severity: String
            /// Findings not accepted.
            public var open: Int
            /// New and not accepted (what `--fail-on new` counts).
            public var newOpen: Int
            public var accepted: Int

            public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
        }

        public var counts: [Count]
        public var lastCompleteFinishedAt: String?
    }

    static func load(_ db: Database, runID: Int64) throws -> Extra {
        let counts = try Extra.Count.fetchAll(db, sql: """
            SELECT kind, severity, sum(accepted_reason IS NULL) AS open, sum(is_new AND accepted_reason IS NULL) AS new_open,
              sum(accepted_reason IS NOT NULL) AS accepted
            FROM finding WHERE run_id = ? GROUP BY kind, severity ORDER BY kind, severity
            """, arguments: [runID])
        let last = try String.fetchOne(db, sql: "SELECT max(finished_at) FROM run WHERE status = 'complete' AND id <= ?", arguments: [runID])
        return Extra(counts: counts, lastCompleteFinishedAt: last)
    }

    public static func render(_ report: AuditReport, _ extra: Extra) -> String {
        var out = MetricsText()
        let run = report.run
        out.family("coze_audit_run_complete", .gauge, "1 when the run completed, 0 when it is partial, failed or still running.")
        out.sample("coze_audit_run_complete", value: run.status == RunStatus.complete.rawValue ? 1 : 0)
        out.family("coze_audit_run_info", .gauge, "The run's number and status as labels (always 1).")
        out.sample("coze_audit_run_info", ["run": run.id, "status": run.status], value: 1)
        if let finished = seconds(run.finishedAt) {
            out.family("coze_audit_run_timestamp_seconds", .gauge, "When this run finished (Unix seconds).")
            out.sample("coze_audit_run_timestamp_seconds", value: finished)
            if let started = seconds(run.startedAt) {
                out.family("coze_audit_run_duration_seconds", .gauge, "How long this run took, from start to finish.")
                out.sample("coze_audit_run_duration_seconds", value: max(0, finished - started))
            }
        }
        if let last = seconds(extra.lastCompleteFinishedAt) {
            out.family("coze_audit_last_complete_run_timestamp_seconds", .gauge,
                       "When the latest complete run up to this one finished (Unix seconds): alert when it gets old.")
            out.sample("coze_audit_last_complete_run_timestamp_seconds", value: last)
        }

        out.family("coze_audit_findings", .gauge, "Findings of the run that are not accepted, by kind and severity.")
        for count in extra.counts where count.open > 0 {
            out.sample("coze_audit_findings", ["kind": count.kind, "severity": count.severity], value: Double(count.open))
        }
        out.family("coze_audit_findings_new", .gauge, "New findings of the run that are not accepted (what --fail-on new counts), by kind.")
        var newByKind: [String: Int] = Dictionary(uniqueKeysWithValues: FindingKind.allCases.map { ($0.rawValue, 0) })
        for count in extra.counts { newByKind[count.kind, default: 0] += count.newOpen }
        for (kind, value) in newByKind.sorted(by: { $0.key < $1.key }) {
            out.sample("coze_audit_findings_new", ["kind": kind], value: Double(value))
        }
        out.family("coze_audit_findings_accepted", .gauge, "Findings of the run that are accepted in the configuration, by kind.")
        var acceptedByKind: [String: Int] = [:]
        for count in extra.counts where count.accepted > 0 { acceptedByKind[count.kind, default: 0] += count.accepted }
        for (kind, value) in acceptedByKind.sorted(by: { $0.key < $1.key }) {
            out.sample("coze_audit_findings_accepted", ["kind": kind], value: Double(value))
        }

        out.family("coze_audit_resources", .gauge, "Distinct resources the run saw, by kind.")
        let inventory = report.inventory
        for (kind, value) in [("app", inventory.app), ("bot", inventory.bot), ("conversation", inventory.conversation),
                              ("voice", inventory.voice), ("workflow", inventory.workflow), ("workspace", inventory.workspace)] {
            out.sample("coze_audit_resources", ["kind": kind], value: Double(value))
        }

        out.family("coze_audit_credential_valid", .gauge,
                   "1 when the credential authenticated in this run (status ok), 0 when it was rejected, refused or failed.")
        for credential in report.credentials {
            out.sample("coze_audit_credential_valid", ["credential": credential.name, "side": credential.side],
                       value: credential.status == "ok" ? 1 : 0)
        }
        out.family("coze_audit_credential_request_success_ratio", .gauge,
                   "Share of the credential's HTTP requests in this run that succeeded (the guide's \"watch the success rate\").")
        for credential in report.credentials where credential.requests > 0 {
            let ratio = Double(credential.requests - credential.failedRequests) / Double(credential.requests)
            out.sample("coze_audit_credential_request_success_ratio", ["credential": credential.name], value: ratio)
        }
        out.family("coze_audit_requests_total", .counter, "HTTP requests of the run per credential, by outcome (retries included).")
        for credential in report.credentials {
            out.sample("coze_audit_requests_total", ["credential": credential.name, "outcome": "success"],
                       value: Double(credential.requests - credential.failedRequests))
            out.sample("coze_audit_requests_total", ["credential": credential.name, "outcome": "failure"],
                       value: Double(credential.failedRequests))
        }
        return out.text
    }

    static func seconds(_ timestamp: String?) -> Double? {
        guard let timestamp, let date = ISO8601DateFormatter().date(from: timestamp) else { return nil }
        return date.timeIntervalSince1970
    }
}

/// The text format's lines: HELP and TYPE once per family, then its samples.
struct MetricsText {
    enum Kind: String { case gauge, counter }

    private(set) var text = ""

    mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        text += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        text += "# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], value: Double) {
        let rendered = labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
        text += name + (rendered.isEmpty ? "" : "{\(rendered)}") + " " + Self.number(value) + "\n"
    }

    /// Label values: backslash, double quote and line feed escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// `run --metrics-file`: the metrics written the way node_exporter's textfile collector needs
/// them, to a temporary file in the same folder and renamed over the target, so the collector
/// never reads half a file.
public enum MetricsFile {
    public static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        // Not `*.prom`: the collector ignores it while it is being written.
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
            guard rename(temporary.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MetricsFileError(description: "cannot write the metrics file \(path): \(error.localizedDescription)")
        }
    }
}

public struct MetricsFileError: Error, CustomStringConvertible {
    public var description: String
}
