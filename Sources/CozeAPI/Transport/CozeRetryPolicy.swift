/// Bounded retries with exponential backoff and jitter, for idempotent GETs only.
///
/// Coze signals throttling with HTTP 429 or codes 4013/4008/4009/4020, and the SDKs never retry;
/// an auditor that gives up on the first 429 would report a `partial` run for no reason.
/// The sleeper and the random source are injected so tests are instant and deterministic.
public struct CozeRetryPolicy: Sendable {
    /// Total attempts per request, the first included (1 = no retries).
    public var maxAttempts: Int
    /// Backoff before retry n (1-based) is `min(maxDelay, baseDelay * 2^(n-1))`, scaled by jitter.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A server `Retry-After` longer than this is capped, so one header cannot stall a run.
    public var maxRetryAfter: Duration
    public var sleeper: any CozeSleeper
    /// Returns a value in `0..<1`; the backoff is multiplied by `0.5 + 0.5 * random()`.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(60),
        sleeper: any CozeSleeper = TaskSleeper(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleeper = sleeper
        self.random = random
    }

    /// No retries at all.
    public static var none: CozeRetryPolicy { CozeRetryPolicy(maxAttempts: 1) }

    /// The wait before retry number `retry` (1 = first retry). A server `Retry-After` wins over
    /// the computed backoff (capped at ``maxRetryAfter``).
    public func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        let exponent = min(max(retry - 1, 0), 30)
        let backoff = min(maxDelay, baseDelay * (1 << exponent))
        let factor = 0.5 + 0.5 * min(max(random(), 0), 1)
        return backoff * factor
    }
}
