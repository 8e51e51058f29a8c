import CozeAudit
import Foundation

/// The retention phase (issue 15): what a year of nightly runs costs on disk. Runs the same tenant
/// `retentionRuns` times into one database with `retention: { keep_runs: retentionKeepRuns }`
/// (applied after each run, as `run` does) and prints the file size (with its WAL) after each run.
///
/// The comparison is measured in the same phase: until the run after `keep_runs` nothing is pruned,
/// so the growth per run over those first runs is what keeping everything costs; after it, the
/// growth per run is what is kept forever (each run's row, findings and credential history).
extension BenchRunner {
    func retention(number: Int) async throws -> [BenchTarget] {
        let shape = options.realTenant, runs = options.retentionRuns, keep = options.retentionKeepRuns
        print("\(number). Retention: \(runs) runs of \(shape) into one database, retention keep_runs: \(keep), no latency")
        var configuration = AuditConfiguration.optimized(concurrency: options.realConcurrency)
        configuration.retention = RetentionPolicy(keepRuns: keep)
        configuration.label = "retention"
        let directory = options.directory + "/retention/nightly"
        try? FileManager.default.removeItem(atPath: directory)
        let credentials = BenchShape(workspaces: 1, botsPerWorkspace: 0, conversationsPerBot: 0, voices: 0).scenario(seed: options.seed)
        let sizes = try await withSimulator(shape, qps: nil, latencyMS: 0, phase: "retention") { url in
            var sizes: [Int] = []
            for run in 1...runs {
                let measurement = try await AuditMeasurement.measure(configuration, baseURL: url, tenant: credentials, directory: directory)
                guard measurement.status == "complete" else {
                    throw BenchError.runFailed("retention run \(run): the run is \(measurement.status); see \(measurement.databasePath)")
                }
                sizes.append(measurement.databaseBytes)
                print("   run \(run): database \(BenchFormat.bytes(measurement.databaseBytes)), \(BenchFormat.grouped(measurement.sightings)) sightings, \(BenchFormat.grouped(measurement.findingCount)) findings")
            }
            return sizes
        }
        // Runs 1…keep: nothing pruned yet; runs keep+1…runs: each adds a run and prunes the oldest.
        let unpruned = Double(sizes[keep - 1] - sizes[0]) / Double(max(keep - 1, 1))
        let pruned = Double(sizes[runs - 1] - sizes[keep]) / Double(max(runs - 1 - keep, 1))
        let keepAll = Double(sizes[keep - 1]) + unpruned * Double(runs - keep)
        print("   growth per run: \(BenchFormat.bytes(Int(unpruned))) while nothing is pruned, \(BenchFormat.bytes(Int(pruned))) with keep_runs: \(keep) (\(BenchFormat.ratio(unpruned / max(pruned, 1))) less)")
        print("   after \(runs) runs: \(BenchFormat.bytes(sizes[runs - 1])) with keep_runs: \(keep); keeping everything ≈ \(BenchFormat.bytes(Int(keepAll))) (extrapolated from runs 1–\(keep))")
        return [BenchTarget(text: "retention: \(runs) runs with keep_runs: \(keep) take \(BenchFormat.bytes(sizes[runs - 1])), less than keeping everything (≈ \(BenchFormat.bytes(Int(keepAll))))",
                            met: Double(sizes[runs - 1]) < keepAll, isTiming: true)]
    }
}
