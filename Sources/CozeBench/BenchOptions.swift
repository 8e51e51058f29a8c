/// What `coze-audit bench` measures; the defaults are the targets on a 2-core machine.
public struct BenchOptions: Sendable {
    public enum Phase: String, Sendable, CaseIterable {
        case rateLimited = "rate-limited", unthrottled, scale
        case permissionGap = "permission-gap", unknownLimit = "unknown-limit", configuredLimit = "configured-limit"
        case retention
    }

    /// The `coze-audit` binary that serves the simulator and renders the report (this one).
    public var executable: String
    /// Scratch folder: configs, token files, databases, reports, simulator logs.
    public var directory: String
    public var seed: UInt64 = 1
    public var phases: [Phase] = Phase.allCases
    /// Fixed response latency of the simulator in the rate-limited and unthrottled scenarios.
    public var latencyMS = 20
    /// Requests in flight per credential in the optimized configuration.
    public var concurrency = 32
    /// The rate limit of the rate-limited scenario, on the simulator and in the client.
    public var qps = 50.0
    public var rateLimited = BenchShape(workspaces: 40, botsPerWorkspace: 10, conversationsPerBot: 30, voices: 20)
    public var unthrottled = BenchShape(workspaces: 200, botsPerWorkspace: 20, conversationsPerBot: 30, voices: 50)
    public var scale = BenchShape(workspaces: 200, botsPerWorkspace: 20, conversationsPerBot: 340, voices: 50)
    /// The tenant of the permission-gap, unknown-limit and configured-limit phases: the size of the
    /// issue's comparison with a cozepy script, nine credentials of every type
    /// (`Scenario.withEveryCredentialType`).
    public var realTenant = BenchShape(workspaces: 40, botsPerWorkspace: 10, conversationsPerBot: 30, voices: 100)
    /// Requests in flight per credential in those phases: the default configuration's.
    public var realConcurrency = 8
    /// The retention phase: nightly runs of the real tenant's shape (four PATs, no latency) into one
    /// database with `retention: { keep_runs: retentionKeepRuns }`.
    public var retentionRuns = 30
    public var retentionKeepRuns = 7
    /// Measure the sequential baseline in the unthrottled and permission-gap scenarios.
    public var baseline = true
    /// Tiny shapes for a smoke run (seconds, even on a debug build); only the exact targets are
    /// judged (requests per credential equal to the minimum, 429/4013 answers and their control).
    public var quick = false

    public init(executable: String, directory: String) {
        self.executable = executable
        self.directory = directory
    }

    /// Shrinks every scenario to a smoke-test size. The rate limit stays tight enough to matter:
    /// the simulator's bucket holds `qps` requests (it starts full), and the busiest credential of
    /// the quick tenant needs 31, so a crawl without the client limiter is throttled (the phase's
    /// control run proves it) while the limited crawl takes about 3 s.
    public mutating func makeQuick() {
        quick = true
        qps = 10
        rateLimited = BenchShape(workspaces: 4, botsPerWorkspace: 3, conversationsPerBot: 5, voices: 3)
        unthrottled = BenchShape(workspaces: 6, botsPerWorkspace: 4, conversationsPerBot: 10, voices: 3)
        scale = BenchShape(workspaces: 10, botsPerWorkspace: 5, conversationsPerBot: 60, voices: 10)
        realTenant = BenchShape(workspaces: 8, botsPerWorkspace: 2, conversationsPerBot: 3, voices: 3)
        retentionRuns = 6
        retentionKeepRuns = 2
    }
}
