import Foundation

/// Limits and hooks of one ``CozeClient``. Every request has a deadline and a body cap
/// so a stuck or hostile server cannot hang or exhaust the auditor.
public struct CozeClientOptions: Sendable {
    /// Deadline of one HTTP attempt (connect, send, and read the whole body).
    public var requestTimeout: Duration
    /// Largest response body accepted; larger ones fail with ``CozeAPIError/Kind/bodyTooLarge``.
    public var maxBodyBytes: Int
    public var retry: CozeRetryPolicy
    public var userAgent: String
    /// An absolute deadline for the whole run: no attempt starts, and no backoff sleeps, past it.
    public var runDeadline: ContinuousClock.Instant?
    /// Hard cap on pages per listing; exceeding it is a ``CozeAPIError/Kind/paginationLoop``.
    public var maxPages: Int
    /// Shared per-credential limiter awaited before every HTTP attempt (a configured `qps`).
    public var rateLimiter: CozeRateLimiter?
    /// Shared per-credential limiter that learns the API's limit from throttled answers (no `qps` configured).
    public var adaptiveLimiter: CozeAdaptiveRateLimiter?
    /// Per request, at most this many throttled answers, or this much waiting for them, before the
    /// request fails. Throttled answers do not use up ``CozeRetryPolicy/maxAttempts``.
    public var maxThrottledAnswers: Int
    public var maxThrottleWait: Duration
    /// Called once per HTTP attempt (retries included), e.g. to count requests and record failures.
    public var observer: CozeRequestObserver?
    /// The Coze site behind the base URL when that is a proxy or tunnel (e.g. `api.coze.cn`);
    /// nil = the base URL's own host. Decides the per-site hint on a rejected token.
    public var siteHost: String?
    /// Which page parameter each ambiguous listing uses; shared by every client of a run.
    public var pageParameters: PageParameterMemory
    /// Listing path → the largest `page_size` the server behind the base URL was seen to accept,
    /// where `doctor` found it below the documented maximum: listings never ask for more.
    public var pageSizeLimits: [String: Int]
    /// Called once per HTTP exchange with the whole response (``CozeExchangeEvent``).
    public var exchangeObserver: CozeExchangeObserver?

    public init(
        requestTimeout: Duration = .seconds(30),
        maxBodyBytes: Int = 16 * 1024 * 1024,
        retry: CozeRetryPolicy = CozeRetryPolicy(),
        userAgent: String = "coze-audit/0.1",
        runDeadline: ContinuousClock.Instant? = nil,
        maxPages: Int = 1000,
        rateLimiter: CozeRateLimiter? = nil,
        adaptiveLimiter: CozeAdaptiveRateLimiter? = nil,
        maxThrottledAnswers: Int = 10,
        maxThrottleWait: Duration = .seconds(120),
        observer: CozeRequestObserver? = nil,
        siteHost: String? = nil,
        pageParameters: PageParameterMemory = PageParameterMemory(),
        pageSizeLimits: [String: Int] = [:],
        exchangeObserver: CozeExchangeObserver? = nil
    ) {
        self.pageParameters = pageParameters
        self.pageSizeLimits = pageSizeLimits
        self.exchangeObserver = exchangeObserver
        self.requestTimeout = requestTimeout
        self.maxBodyBytes = maxBodyBytes
        self.retry = retry
        self.userAgent = userAgent
        self.runDeadline = runDeadline
        self.maxPages = max(1, maxPages)
        self.rateLimiter = rateLimiter
        self.adaptiveLimiter = adaptiveLimiter
        self.maxThrottledAnswers = max(1, maxThrottledAnswers)
        self.maxThrottleWait = maxThrottleWait
        self.observer = observer
        self.siteHost = siteHost
    }
}
