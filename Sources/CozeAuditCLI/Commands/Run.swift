import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit every configured credential once and store the run.",
            discussion: """
                Prints a one-line summary and the new findings (everything with --verbose). An incomplete
                run also writes one line per cause on stderr (the server, what went wrong, how many listings
                and credentials it hit). SIGTERM or SIGINT stops the crawl and stores the run as failed (exit 3).
                Example: coze-audit run --config coze-audit.yaml --fail-on new
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "Exit 1 when findings match: none (never), new (any new finding), any (any finding).")
        var failOn: FailOn = .none

        @Flag(name: .shortAndLong, help: "Print every finding, not only the new ones.")
        var verbose = false

        @Option(help: ArgumentHelp(
            "Write every HTTP exchange of the run, anonymized, into this new folder (attach it to a bug report; simulate --replay serves it).",
            valueName: "dir"))
        var record: String?

        @Option(help: ArgumentHelp(
            "Write the run's metrics in the Prometheus text format to this file, atomically (for node_exporter's textfile collector); written for complete, partial and failed runs.",
            valueName: "path"))
        var metricsFile: String?

        enum FailOn: String, ExpressibleByArgument, CaseIterable { case none, new, any }

        /// Posts the stored run to the `notify:` targets; a failed delivery is one stderr line (type
        /// and host only) and never changes the exit code.
        static func notify(_ targets: [ResolvedNotifyTarget], store: AuditStore, runID: Int64) async {
            guard !targets.isEmpty else { return }
            do {
                for delivery in try await Notifier(targets: targets).notify(store: store, runID: runID) {
                    if let failure = delivery.failure {
                        FileHandle.standardError.write(Data(("coze-audit: notify \(delivery.target) failed after \(delivery.attempts) attempt"
                            + (delivery.attempts == 1 ? "" : "s") + " (\(failure)); its new findings are kept for the next message\n").utf8))
                    }
                }
            } catch {
                FileHandle.standardError.write(Data("coze-audit: notify: \(error)\n".utf8))
            }
        }

        func run() async throws {
            let config = try options.load()
            let resolver = CredentialResolver()
            let credentials = try resolver.resolve(config, configFile: options.config)
            // Read before the crawl, so a missing webhook secret is a configuration error (exit 2), not a surprise at the end.
            let notifyTargets = try resolver.resolve(config.notify, configFile: options.config)
            let progress: ProgressLine? = CLI.stderrIsTTY ? ProgressLine() : nil
            var runner = AuditRunner(config: config, credentials: credentials, progress: progress)
            let recording = try record.map { try ExchangeRecorder(directory: $0, baseURL: config.baseURL, credentials: credentials) }
            runner.recording = recording
            let stop = RunStop()
            runner.stop = stop
            let audit = Task { [runner] in try await runner.run() }
            // Installed only while the run is in flight: a signal stops the crawl, and the runner
            // stores the run as failed ("terminated by signal …") and releases the lock.
            let trap = SignalTrap { name in
                stop.record(signal: name)
                audit.cancel()
            }
            let outcome = await audit.result
            trap.cancel()
            // The recording is kept whatever the run's outcome: a failed run is what a bug report
            // needs. A recording that cannot be finished is one line; the run keeps its exit code.
            var recorded: String?
            if let recording {
                do {
                    recorded = "coze-audit: recorded \(try recording.finish()) exchanges into \(recording.directory)\n"
                } catch {
                    recorded = "coze-audit: \(error)\n"
                }
            }
            let result = try outcome.get()
            await progress?.clear()
            if let recorded { FileHandle.standardError.write(Data(recorded.utf8)) }
            let store = try AuditStore(path: config.databasePath)
            let summary = try ReportRendering.rendered(.text, store: store, runID: result.runID,
                                                       listing: verbose ? .everyFinding : .newFindingsCapped)
            print(summary.output, terminator: "")
            if let metricsFile {
                // A file that cannot be written costs no audit: one line, and the staleness alert on
                // coze_audit_run_timestamp_seconds notices.
                do {
                    try MetricsFile.write(try ReportRendering.render(.prometheus, store: store, runID: result.runID), to: metricsFile)
                } catch {
                    FileHandle.standardError.write(Data("coze-audit: \(error)\n".utf8))
                }
            }
            await Self.notify(notifyTargets, store: store, runID: result.runID)
            // stderr: one line per cause, never one per listing (the log, at COZE_AUDIT_LOG_LEVEL
            // or log_level: warning, has those).
            var problems = result.causes
            if result.terminated { problems = ["run \(result.runID) \(result.reason ?? "terminated"); stored as failed"] }
            if let error = result.retentionError { problems.append("retention: \(error)") }
            for line in problems { FileHandle.standardError.write(Data("coze-audit: \(line)\n".utf8)) }
            if result.status != .complete { throw ExitCode(3) }
            switch failOn {
            case .none: break
            case .new: if summary.tally.newOpen > 0 { throw ExitCode(1) }
            case .any: if summary.tally.open > 0 { throw ExitCode(1) }
            }
        }
    }
}
