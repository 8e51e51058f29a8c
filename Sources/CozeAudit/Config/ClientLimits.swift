import CozeAPI

/// Optional overrides of the HTTP client's retries and deadlines, from the config keys
/// `retries: {attempts, base_delay_ms}`, `request_timeout_seconds` and `run_timeout_seconds`.
/// A nil field keeps the client's default (4 attempts, 500 ms base delay, 30 s per request, no
/// run deadline).
public struct ClientLimits: Sendable, Equatable {
    /// Total attempts per request, the first included (1 = no retries).
    public var retryAttempts: Int?
    /// Backoff before the first retry; doubled per retry, with jitter.
    public var retryBaseDelay: Duration?
    /// Deadline of one HTTP attempt.
    public var requestTimeout: Duration?
    /// Deadline of the whole crawl, counted from the start of the run: nothing is sent after it,
    /// and the listings left are recorded as failed (the run is `partial`).
    public var runTimeout: Duration?

    public init(retryAttempts: Int? = nil, retryBaseDelay: Duration? = nil, requestTimeout: Duration? = nil,
                runTimeout: Duration? = nil) {
        self.retryAttempts = retryAttempts
        self.retryBaseDelay = retryBaseDelay
        self.requestTimeout = requestTimeout
        self.runTimeout = runTimeout
    }

    /// `options` with these overrides applied; the sleeper, jitter source and observer are kept.
    public func apply(to options: CozeClientOptions, runStart: ContinuousClock.Instant) -> CozeClientOptions {
        var options = options
        if let retryAttempts { options.retry.maxAttempts = max(1, retryAttempts) }
        if let retryBaseDelay {
            options.retry.baseDelay = retryBaseDelay
            options.retry.maxDelay = max(options.retry.maxDelay, retryBaseDelay)
        }
        if let requestTimeout { options.requestTimeout = requestTimeout }
        if let runTimeout {
            let deadline = runStart + runTimeout
            options.runDeadline = options.runDeadline.map { min($0, deadline) } ?? deadline
        }
        return options
    }
}
