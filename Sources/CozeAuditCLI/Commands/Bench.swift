import ArgumentParser
import CozeBench
import Foundation

extension CozeAuditCommand {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure crawl speed, rate-limit use, memory and report time on generated tenants.",
            discussion: """
                Starts the simulator as a separate process (`simulate --generate`), runs full audits in this
                process and prints requests made against the minimum, wall time against the rate-limit bound,
                resources/s, findings time, peak RSS, database size, the sequential baseline and the speed-up.
                The rate-limited phase also runs a control without the client's limiter, which must be throttled.
                permission-gap, unknown-limit and configured-limit audit a tenant like a real one (nine credentials
                of every type, concurrency 8): two credentials lacking a permission point; one PAT limited by the
                simulator with no qps configured; the same with qps configured for every credential.
                Exits 1 when a target is missed. Use a release build: scripts/bench.
                Example: coze-audit bench --phases unthrottled --concurrency 16
                         coze-audit bench --phases permission-gap,unknown-limit,configured-limit
                """)

        @Flag(help: "Tiny tenants: a smoke run of every phase in seconds; only the exact targets are judged (requests per credential = minimum, no 429/4013 with a configured limit, some without it).")
        var quick = false

        @Option(help: "Phases to run, comma-separated: rate-limited, unthrottled, scale, permission-gap, unknown-limit, configured-limit, retention.")
        var phases = BenchOptions.Phase.allCases.map(\.rawValue).joined(separator: ",")

        @Option(help: "Requests in flight per credential in the optimized configuration (default 32; 8, the default config's, in permission-gap, unknown-limit and configured-limit).")
        var concurrency: Int?

        @Option(help: "Requests/s per credential in the rate-limited phase (simulator limit and client limit), and the limit of unknown-limit and configured-limit (default 50).")
        var qps: Double?

        @Option(name: .customLong("latency-ms"), help: "Simulator response latency in every phase but scale (default 20).")
        var latencyMS: Int?

        @Option(help: "Seed of the generated tenants.")
        var seed: UInt64 = 1

        @Flag(help: "Skip the sequential baseline of the unthrottled and permission-gap phases.")
        var noBaseline = false

        @Option(help: "Work folder for configs, databases and reports (default: a new temporary folder, removed afterwards).")
        var dir: String?

        func validate() throws {
            for name in phases.split(separator: ",") where BenchOptions.Phase(rawValue: String(name)) == nil {
                throw ValidationError("unknown phase \(name) (\(BenchOptions.Phase.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let concurrency, !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be 1…64") }
            if let qps, qps <= 0 { throw ValidationError("--qps must be positive") }
        }

        func run() async throws {
            let directory = dir ?? NSTemporaryDirectory() + "coze-audit-bench-\(UUID().uuidString)"
            var options = BenchOptions(executable: Self.executablePath, directory: directory)
            if quick { options.makeQuick() }
            options.phases = phases.split(separator: ",").compactMap { BenchOptions.Phase(rawValue: String($0)) }
            options.seed = seed
            options.baseline = !noBaseline
            if let concurrency {
                options.concurrency = concurrency
                options.realConcurrency = concurrency
            }
            if let qps { options.qps = qps }
            if let latencyMS { options.latencyMS = latencyMS }
            let runner = BenchRunner(options: options) { line in
                print(line)
                fflush(nil)
            }
            let targets: [BenchTarget]
            do {
                targets = try await runner.run()
            } catch {
                if dir == nil { try? FileManager.default.removeItem(atPath: directory) }
                throw CLI.fail("bench: \(error)", code: 3)
            }
            if dir == nil { try? FileManager.default.removeItem(atPath: directory) }
            if targets.contains(where: { !$0.met }) { throw ExitCode(1) }
        }

        /// This binary, to start the simulator and `report` from.
        static var executablePath: String {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        }
    }
}
