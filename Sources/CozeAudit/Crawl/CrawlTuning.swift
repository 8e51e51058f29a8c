/// How a crawl spends the API's capacity, beyond the configured `concurrency` and `qps`.
///
/// The defaults are the fast path: every credential crawls at once (each has its own rate limit
/// and concurrency), and each listing page is written in one transaction. ``sequentialBaseline``
/// is what a script over the official SDK does (one credential after another, one row per
/// transaction); `coze-audit bench` measures it with `concurrency: 1` to report the speed-up.
public struct CrawlTuning: Sendable, Equatable {
    /// Crawl the credentials at the same time (true) or one after another.
    public var parallelCredentials: Bool
    /// Write each resource in its own transaction instead of each page in one.
    public var transactionPerResource: Bool
    /// Stop sending an endpoint's listings once its permission point is established as missing
    /// (`PermissionLedger`). Off only to prove that the findings are the same either way.
    public var skipEstablishedDenials: Bool

    public init(parallelCredentials: Bool = true, transactionPerResource: Bool = false, skipEstablishedDenials: Bool = true) {
        self.parallelCredentials = parallelCredentials
        self.transactionPerResource = transactionPerResource
        self.skipEstablishedDenials = skipEstablishedDenials
    }

    /// One credential at a time, one row per transaction (use with `concurrency: 1`).
    public static let sequentialBaseline = CrawlTuning(parallelCredentials: false, transactionPerResource: true)
}
