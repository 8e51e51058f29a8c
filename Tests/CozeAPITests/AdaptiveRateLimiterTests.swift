import Synchronization
import Testing

@testable import CozeAPI

/// The adaptive limiter on a clock the test moves by hand: no waiting, every number exact.
@Suite("Adaptive rate limiter")
struct AdaptiveRateLimiterTests {
    final class ManualClock: Sendable {
        let value = Mutex(Duration.zero)
        func advance(_ by: Duration) { value.withLock { $0 += by } }
        var now: @Sendable () -> Duration { { [self] in value.withLock { $0 } } }
    }

    @Test("unlimited until the first throttled answer")
    func unlimitedAtFirst() async {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        for _ in 0..<100 { #expect(await limiter.reserve() == .zero) }
        #expect(await limiter.rate == nil)
    }

    @Test("a throttle sets the rate just below what the server accepted over the last second")
    func decreaseToAccepted() async {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        for _ in 0..<50 {
            clock.advance(.milliseconds(10))
            await limiter.succeeded()
        }
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 45)
        // Requests are now spaced 1/45 s apart.
        #expect(await limiter.reserve() == .zero)
        let second = await limiter.reserve()
        #expect(abs(Double(second.components.attoseconds) / 1e18 - 1.0 / 45) < 1e-9)
        // More throttles while the same successes are in the window do not collapse the rate.
        await limiter.throttled(retryAfter: nil)
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 45)
        #expect(await limiter.throttles == 3)
    }

    @Test("with nothing accepted the rate halves, down to the minimum")
    func halving() async {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(minimumRate: 0.5, now: clock.now)
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 0.5)
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 0.5)
    }

    @Test("each success adds 1/rate: about one request per second per second")
    func additiveIncrease() async {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        for _ in 0..<10 { await limiter.succeeded() }
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 9)
        clock.advance(.seconds(2))
        for _ in 0..<9 { await limiter.succeeded() }
        let rate = await limiter.rate ?? 0
        #expect(rate > 9.9 && rate < 10)
    }

    @Test("Retry-After holds every request until it has passed")
    func retryAfterHolds() async {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        await limiter.throttled(retryAfter: .seconds(3))
        #expect(await limiter.reserve() >= .seconds(3))
        clock.advance(.seconds(5))
        #expect(await limiter.reserve() < .seconds(3))
    }
}
