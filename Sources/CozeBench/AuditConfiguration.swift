import CozeAudit

/// One way of running the audit: the fast path, or the sequential baseline it is compared with.
public struct AuditConfiguration: Sendable {
    public var label: String
    public var concurrency: Int
    public var qps: Double?
    public var tuning: CrawlTuning

    public var description: String {
        var parts = ["concurrency \(concurrency)"]
        parts.append(tuning.parallelCredentials ? "credentials in parallel" : "one credential after another")
        parts.append(tuning.transactionPerResource ? "a transaction per resource" : "a transaction per page")
        parts.append(qps.map { "client limit \(BenchFormat.number($0)) requests/s per credential" } ?? "no client rate limit")
        return parts.joined(separator: ", ")
    }

    static func optimized(concurrency: Int, qps: Double? = nil) -> AuditConfiguration {
        AuditConfiguration(label: "optimized", concurrency: concurrency, qps: qps, tuning: CrawlTuning())
    }

    /// What a script over the official SDK does: one request at a time, one row per transaction.
    static let baseline = AuditConfiguration(label: "baseline", concurrency: 1, qps: nil, tuning: .sequentialBaseline)
}
