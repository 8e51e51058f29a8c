import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a stored run to the notify: targets, or a test message to each.",
            discussion: """
                `run` notifies by itself after every run; this command sends again (the latest run by default,
                with each target's `when`), or with --test a test message to every target. Prints one line per
                target; exit 3 when a delivery failed.
                Example: coze-audit notify --test --config coze-audit.yaml
                """)

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Send a test message to every target instead of a run.")
        var test = false

        @Option(help: "The run to notify about (default: the latest).")
        var run: Int64?

        func validate() throws {
            if test, run != nil { throw ValidationError("--test sends no run; leave out --run") }
        }

        func run() async throws {
            let config = try options.load()
            let targets = try CredentialResolver().resolve(config.notify, configFile: options.config)
            guard !targets.isEmpty else { throw UsageError(message: "\(options.config) has no notify: targets") }
            let notifier = Notifier(targets: targets)
            let deliveries: [Notifier.Delivery]
            if test {
                deliveries = await notifier.test()
            } else {
                let store = try AuditStore(path: config.databasePath)
                deliveries = try await notifier.notify(store: store, runID: try store.runID(run))
            }
            for delivery in deliveries {
                let outcome = delivery.skipped ? "skipped (the run does not match its when)"
                    : delivery.failure.map { "FAILED after \(delivery.attempts) attempt\(delivery.attempts == 1 ? "" : "s"): \($0)" } ?? "delivered"
                print("\(delivery.target): \(outcome)")
            }
            if deliveries.contains(where: { $0.failure != nil }) { throw ExitCode(3) }
        }
    }
}
