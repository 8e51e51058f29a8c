import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete old runs' sightings and listings, keep their findings and history, and shrink the database.",
            discussion: """
                A run's detail is kept when it is one of the latest --keep-runs runs or started within
                --keep-days days (without options: the config's retention:); the latest complete run always
                keeps it. Every run keeps its summary row, findings and credential history. The first prune
                of a database created before retention existed rewrites it once (VACUUM).
                Example: coze-audit prune --keep-runs 7
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "Keep the detail of the latest N runs.")
        var keepRuns: Int?

        @Option(help: "Keep the detail of the runs started within the last D days.")
        var keepDays: Int?

        func validate() throws {
            if let keepRuns, keepRuns < 1 { throw ValidationError("--keep-runs must be at least 1") }
            if let keepDays, keepDays < 1 { throw ValidationError("--keep-days must be at least 1") }
        }

        func run() async throws {
            let config = try options.load(connecting: false)
            let policy: RetentionPolicy
            if keepRuns != nil || keepDays != nil {
                policy = RetentionPolicy(keepRuns: keepRuns, keepDays: keepDays)
            } else if let configured = config.retention {
                policy = configured
            } else {
                throw CLI.fail("prune needs --keep-runs, --keep-days, or retention: { keep_runs: N } in \(options.config)", code: 2)
            }
            guard FileManager.default.fileExists(atPath: config.databasePath) else {
                throw CLI.fail("no database at \(config.databasePath) (run `coze-audit run` first)", code: 2)
            }
            // The writer lock: never while a run writes (exit 4).
            let lock = try RunLock(databasePath: config.databasePath)
            let store = try AuditStore(path: config.databasePath)
            let result = try Retention.prune(store: store, policy: policy)
            withExtendedLifetime(lock) {}
            print(result.text)
        }
    }
}
