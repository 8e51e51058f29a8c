/// A token bucket per credential: at most `qps` request starts per second on average, bursts of
/// up to `burst`.
///
/// An actor because every task crawling with one credential shares it. Callers reserve a slot
/// synchronously inside the actor (so concurrent callers queue in order) and then sleep outside
/// it, so a waiting caller never blocks the others. Clock and sleeper are injected for tests.
public actor CozeRateLimiter {
    public nonisolated let qps: Double
    public nonisolated let burst: Double
    private let now: @Sendable () -> Duration
    private let sleeper: any CozeSleeper
    /// Available tokens; negative when callers are already queued behind a refill.
    private var tokens: Double
    private var last: Duration

    /// - Parameters:
    ///   - qps: Requests per second (must be > 0).
    ///   - burst: Bucket size; 1 spaces requests evenly.
    ///   - now: A monotonic clock reading (any fixed origin).
    public init(
        qps: Double,
        burst: Int = 1,
        now: @escaping @Sendable () -> Duration = CozeRateLimiter.continuousNow,
        sleeper: any CozeSleeper = TaskSleeper()
    ) {
        precondition(qps > 0, "qps must be positive")
        self.qps = qps
        self.burst = Double(max(1, burst))
        self.now = now
        self.sleeper = sleeper
        self.tokens = Double(max(1, burst))
        self.last = now()
    }

    /// Waits until a request may start.
    public nonisolated func acquire() async throws {
        let wait = await reserve()
        if wait > .zero { try await sleeper.sleep(for: wait) }
    }

    /// Takes one token (possibly going negative) and returns how long the caller must wait.
    func reserve() -> Duration {
        let current = now()
        let elapsed = current - last
        last = current
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + max(0, seconds) * qps)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .seconds(-tokens / qps)
    }

    /// Time since an arbitrary fixed origin, from `ContinuousClock`.
    public static let continuousNow: @Sendable () -> Duration = {
        let origin = ContinuousClock.now
        return { ContinuousClock.now - origin }
    }()
}
