import Testing

@testable import CozeAPI

/// The adaptive limiter with many requests in flight: answers to requests sent before a refusal are
/// often seen after it. On a clock the test moves by hand: no waiting, every number exact.
@Suite("Adaptive rate limiter: answers seen after the refusal")
struct AdaptiveRateLimiterLateAnswerTests {
    typealias ManualClock = AdaptiveRateLimiterTests.ManualClock

    /// Sends `count` requests 10 ms apart (the limiter still unlimited); returns when each was sent.
    static func send(_ count: Int, _ limiter: CozeAdaptiveRateLimiter, _ clock: ManualClock) async throws -> [Duration] {
        var sent: [Duration] = []
        for _ in 0..<count {
            clock.advance(.milliseconds(10))
            sent.append(try await limiter.acquire())
        }
        return sent
    }

    @Test("answers to requests sent before the refusal that arrive after it raise the rate back to what the server accepted")
    func lateAnswersCount() async throws {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        let sent = try await Self.send(50, limiter, clock)
        // Only 20 answers have been seen when the 51st request is refused.
        for time in sent.prefix(20) { await limiter.succeeded(sentAt: time) }
        clock.advance(.milliseconds(10))
        let refused = try await limiter.acquire()
        await limiter.throttled(retryAfter: nil, sentAt: refused)
        #expect(await limiter.rate == 18)
        // The other 30 were accepted too: the server took 50 in that second.
        for time in sent.dropFirst(20) { await limiter.succeeded(sentAt: time) }
        let rate = try #require(await limiter.rate)
        #expect(abs(rate - 45) < 1e-9)
    }

    @Test("one congestion event cuts once: refusals of requests sent before the cut, or before the cut rate succeeded, do not cut again")
    func oneCutPerEvent() async throws {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        for time in try await Self.send(50, limiter, clock) { await limiter.succeeded(sentAt: time) }
        let early = try await limiter.acquire()  // sent at the old (unlimited) rate
        await limiter.throttled(retryAfter: nil, sentAt: early)
        #expect(await limiter.rate == 45)
        // Another request of the same wave, and one sent at the cut rate while the server's budget is still empty.
        await limiter.throttled(retryAfter: nil, sentAt: early)
        clock.advance(.milliseconds(30))
        await limiter.throttled(retryAfter: nil, sentAt: try await limiter.acquire())
        #expect(await limiter.rate == 45)
        #expect(await limiter.throttles == 3)
        // Once a request sent at the cut rate succeeded, a refusal is a new event and cuts again
        // (to what was accepted in its second: two seconds on, that one request).
        clock.advance(.seconds(2))
        await limiter.succeeded(sentAt: try await limiter.acquire())
        clock.advance(.milliseconds(30))
        await limiter.throttled(retryAfter: nil, sentAt: try await limiter.acquire())
        #expect(await limiter.rate == 0.9)
    }

    @Test("late answers never raise the rate above `decrease` times the rate that was refused")
    func ceiling() async throws {
        let clock = ManualClock()
        let limiter = CozeAdaptiveRateLimiter(now: clock.now)
        for time in try await Self.send(20, limiter, clock) { await limiter.succeeded(sentAt: time) }
        await limiter.throttled(retryAfter: nil, sentAt: try await limiter.acquire())
        #expect(await limiter.rate == 18)
        // Two seconds later a request at the cut rate succeeds; then 40 requests are sent, a refusal
        // is seen with one accepted request in its second (a deep cut), and their 40 answers arrive.
        clock.advance(.seconds(2))
        await limiter.succeeded(sentAt: try await limiter.acquire())
        let before = try #require(await limiter.rate)
        var late: [Duration] = []
        for _ in 0..<40 {
            clock.advance(.milliseconds(5))
            late.append(clock.now())
        }
        clock.advance(.milliseconds(5))
        await limiter.throttled(retryAfter: nil, sentAt: clock.now())
        #expect(await limiter.rate == 0.9)
        for time in late { await limiter.succeeded(sentAt: time) }
        let rate = try #require(await limiter.rate)
        #expect(abs(rate - before * 0.9) < 1e-9, "\(rate) vs \(before)")
    }
}
