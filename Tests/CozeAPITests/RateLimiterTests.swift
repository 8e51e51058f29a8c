import CozeTestSupport
import CozeAPI
import Synchronization
import Testing

/// The token bucket with an injected clock: waits are computed, never slept.
@Suite("Rate limiter")
struct RateLimiterTests {
    final class FakeTime: Sendable {
        let value = Mutex<Duration>(.zero)
        var now: @Sendable () -> Duration { { self.value.withLock { $0 } } }
        func advance(_ by: Duration) { value.withLock { $0 += by } }
    }

    @Test("at 2 qps with burst 1, back-to-back requests are spaced 0.5 s apart")
    func spacing() async throws {
        let time = FakeTime()
        let sleeper = RecordingSleeper()
        let limiter = CozeRateLimiter(qps: 2, burst: 1, now: time.now, sleeper: sleeper)
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(sleeper.sleeps.values == [.milliseconds(500), .seconds(1)])
    }

    @Test("a burst passes at once, and tokens refill with elapsed time")
    func burstAndRefill() async throws {
        let time = FakeTime()
        let sleeper = RecordingSleeper()
        let limiter = CozeRateLimiter(qps: 10, burst: 3, now: time.now, sleeper: sleeper)
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(sleeper.sleeps.values.isEmpty)
        time.advance(.milliseconds(200))  // two tokens back
        for _ in 0..<2 { try await limiter.acquire() }
        #expect(sleeper.sleeps.values.isEmpty)
        try await limiter.acquire()
        #expect(sleeper.sleeps.values == [.milliseconds(100)])
    }

    @Test("the client waits on its limiter before every attempt")
    func clientUsesLimiter() async throws {
        try await SimulatorFixture.with { sim in
            let time = FakeTime()
            let limiterSleeper = RecordingSleeper()
            let limiter = CozeRateLimiter(qps: 1, now: time.now, sleeper: limiterSleeper)
            let client = sim.client(token: SimulatorTokens.personal) { $0.rateLimiter = limiter }
            for _ in 0..<3 { _ = try await client.currentUser() }
            #expect(limiterSleeper.sleeps.values == [.seconds(1), .seconds(2)])
            #expect(sim.log("/v1/users/me").count == 3)
        }
    }
}
