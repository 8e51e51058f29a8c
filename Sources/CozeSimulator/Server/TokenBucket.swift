/// Per-credential rate limit: `qps` tokens per second, bursts up to `max(1, qps)`.
/// Time comes from the simulator clock, so a test can exceed the limit without waiting.
struct TokenBucket: Sendable {
    var tokens: Double
    var last: Double

    init(qps: Double, now: Double) {
        self.tokens = max(1, qps)
        self.last = now
    }

    mutating func take(qps: Double, now: Double) -> Bool {
        let capacity = max(1, qps)
        tokens = min(capacity, tokens + max(0, now - last) * qps)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
