import CozeAudit

/// One way of running the audit: the fast path, or the sequential baseline it is compared with.
public struct AuditConfiguration: Sendable {
    public var label: String
    public var concurrency: Int
    public var qps: Double?
    public var tuning: CrawlTuning
    /// Total attempts per request (`retries.attempts`); nil = the configuration's default.
    public var retryAttempts: Int? = nil
    /// `retention:` of the configuration (the retention phase); nil keeps every run.
    public var retention: RetentionPolicy? = nil

    public var description: String {
        var parts = ["concurrency \(concurrency)"]
        parts.append(tuning.parallelCredentials ? "credentials in parallel" : "one credential after another")
        parts.append(tuning.transactionPerResource ? "a transaction per resource" : "a transaction per page")
        parts.append(qps.map { "client limit \(BenchFormat.number($0)) requests/s per credential" } ?? "no client rate limit configured (qps unset)")
        if let retryAttempts { parts.append(retryAttempts == 1 ? "no retries" : "\(retryAttempts) attempts per request") }
        return parts.joined(separator: ", ")
    }

    static func optimized(concurrency: Int, qps: Double? = nil) -> AuditConfiguration {
        AuditConfiguration(label: "optimized", concurrency: concurrency, qps: qps, tuning: CrawlTuning())
    }

    /// The rate-limited phase's control: the optimized crawl without a configured client rate limit
    /// (qps unset) and without retries, against a simulator that limits.
    static func control(concurrency: Int) -> AuditConfiguration {
        AuditConfiguration(label: "control", concurrency: concurrency, qps: nil, tuning: CrawlTuning(), retryAttempts: 1)
    }

    /// What a script over the official SDK does: one request at a time, one row per transaction.
    static let baseline = AuditConfiguration(label: "baseline", concurrency: 1, qps: nil, tuning: .sequentialBaseline)
}
