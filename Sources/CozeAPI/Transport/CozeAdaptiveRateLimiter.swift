/// A per-credential limiter that learns the API's rate limit from its answers, for when the
/// configuration names none (Coze documents no per-token limit, and users rarely know theirs).
///
/// It starts unlimited. A throttled answer (HTTP 429, code 4013…) sets the rate just below what
/// the server accepted in the second before the refusal was seen (multiplicative decrease; halving
/// when nothing was accepted; once per congestion event: refusals of requests sent before the cut,
/// or before any request sent after it succeeded, do not cut it again), and a
/// `Retry-After` holds every request until it has passed. Each successful answer raises the rate
/// by `1 / rate`, about one request per second per second (additive increase) — the AIMD scheme of
/// TCP congestion control and of the AWS SDKs' "adaptive" retry mode. So a crawl settles just
/// under the server's limit with a throttled answer now and then, instead of hammering it or
/// crawling at a guessed rate.
///
/// What was accepted is counted by when the requests were sent, and an answer that arrives after
/// the refusal still counts (it raises the rate back, at most to `decrease` times the rate that was
/// refused): with many requests in flight, and the answers of several credentials competing for
/// two cores, many answers to requests sent before the refused one are seen after it, and counting
/// only those seen cut the rate far below the limit (measured at concurrency 32 under a 50/s
/// limit: 23/s, then +1/s per second, a crawl 1.6 times its bound).
///
/// An actor because every task crawling with one credential shares it. Callers reserve a start time
/// inside the actor and sleep outside it. Clock and sleeper are injected for tests.
public actor CozeAdaptiveRateLimiter {
    /// The current rate in requests per second; nil while no throttling has been seen.
    public private(set) var rate: Double?
    /// Throttled answers seen.
    public private(set) var throttles = 0
    private let minimumRate: Double
    private let decrease: Double
    private let now: @Sendable () -> Duration
    private let sleeper: any CozeSleeper
    private var nextStart: Duration
    private var blockedUntil: Duration = .zero
    /// When the recently accepted requests were sent (the second before a throttled request's
    /// sending decides the new rate); two seconds are kept.
    private var successes: [Duration] = []
    /// The latest decrease: when (a throttled request sent before it was sent at the rate already
    /// cut: one wave of refusals, one cut), the requests sent in the second before it that were
    /// accepted, counted so far (late answers add to it), and the most they may raise the rate to:
    /// `decrease` times the rate that was refused (none at the first throttle).
    private var lastDecrease: (at: Duration, accepted: Int, ceiling: Double)?
    /// A request sent after the latest decrease succeeded: the cut rate has been tried, so a
    /// refusal now is a new congestion event (before that, the server's budget is still empty).
    private var succeededSinceDecrease = false

    public init(
        minimumRate: Double = 0.5,
        decrease: Double = 0.9,
        now: @escaping @Sendable () -> Duration = CozeRateLimiter.continuousNow,
        sleeper: any CozeSleeper = TaskSleeper()
    ) {
        self.minimumRate = minimumRate
        self.decrease = decrease
        self.now = now
        self.sleeper = sleeper
        self.nextStart = now()
    }

    /// Waits until a request may start; returns when it was allowed to (on the limiter's clock), to
    /// pass back as `sentAt` with its answer.
    @discardableResult
    public nonisolated func acquire() async throws -> Duration {
        let slot = await reserveSlot()
        if slot.wait > .zero { try await sleeper.sleep(for: slot.wait) }
        return slot.start
    }

    /// The wait before the caller's request, its slot taken.
    func reserve() -> Duration { reserveSlot().wait }

    private func reserveSlot() -> (wait: Duration, start: Duration) {
        let current = now()
        var start = max(current, blockedUntil)
        if let rate {
            start = max(start, nextStart)
            nextStart = start + .seconds(1 / rate)
        }
        return (start - current, start)
    }

    /// A successful answer to a request sent at `sentAt` (default: now): additive increase.
    public func succeeded(sentAt: Duration? = nil) {
        let current = now()
        let sent = sentAt ?? current
        successes.append(sent)
        if successes.count > 4096 || (successes.first.map { current - $0 > .seconds(2) } ?? false) {
            successes.removeAll { current - $0 > .seconds(2) }
        }
        guard let rate else { return }
        if let last = lastDecrease, sent >= last.at { succeededSinceDecrease = true }
        if var last = lastDecrease, sent < last.at, last.at - sent <= .seconds(1) {
            // Sent in the second before the refusal was seen, accepted, answered after it.
            last.accepted += 1
            lastDecrease = last
            self.rate = max(rate, min(Double(last.accepted) * decrease, last.ceiling))
        } else {
            self.rate = rate + 1 / rate
        }
    }

    /// A throttled answer to a request sent at `sentAt` (default: now): multiplicative decrease to
    /// what was accepted in the second before it was seen (once per congestion event), and a hold
    /// for `retryAfter` when the server gave one.
    public func throttled(retryAfter: Duration?, sentAt: Duration? = nil) {
        let current = now()
        let sent = sentAt ?? current
        throttles += 1
        successes.removeAll { current - $0 > .seconds(2) }
        // The same congestion event: sent before the last decrease, or before the cut rate succeeded once.
        if let last = lastDecrease, sent < last.at || !succeededSinceDecrease {
            if let retryAfter, retryAfter > .zero { blockedUntil = max(blockedUntil, current + retryAfter) }
            return
        }
        let counted = successes.count(where: { $0 <= current && current - $0 <= .seconds(1) })
        lastDecrease = (current, counted, (rate ?? .infinity) * decrease)
        succeededSinceDecrease = false
        let accepted = Double(counted)
        let lowered = accepted > 0 ? accepted * decrease : (rate ?? 2 * minimumRate) / 2
        rate = max(minimumRate, min(rate ?? .infinity, lowered))
        if let retryAfter, retryAfter > .zero { blockedUntil = max(blockedUntil, current + retryAfter) }
        nextStart = max(nextStart, current)
    }
}
