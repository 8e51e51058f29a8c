import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// The crawl spends no request it does not need and never provokes the API's rate limit. Speed
/// itself is measured by `coze-audit bench`, not here.
@Suite("Crawl efficiency")
struct CrawlEfficiencyTests {
    static let everyone = ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"]

    @Test("A crawl makes exactly the minimum requests: largest pages, both connectors, nothing twice")
    func minimumRequests() async throws {
        // 120 conversations per bot: the API connector's listings need several pages.
        let scenario = Scenario.generate(workspaces: 6, botsPerWorkspace: 4, conversationsPerBot: 120, voices: 130, seed: 5)
        try await RunFixture.with(scenario, credentials: Self.everyone) { fixture in
            let result = try await fixture.run(concurrency: 4)
            #expect(result.status == .complete)
            let minimum = scenario.minimumAuditRequests()
            for name in Self.everyone {
                #expect(try fixture.counts(name, run: result.runID).first == String(minimum[name] ?? -1), "\(name)")
                let log = fixture.log(name)
                #expect(log.count == minimum[name], "\(name): the simulator answered \(log.count)")
                let requests = log.map { "\($0.path)?\($0.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))" }
                #expect(Set(requests).count == requests.count, "\(name) asked something twice")
            }
            let sizes = Set(fixture.simulator.requestLog().compactMap { request in request.query["page_size"].map { "\(request.path) \($0)" } })
            #expect(sizes == ["/v1/workspaces 50", "/v1/bots 50", "/v1/conversations 50", "/v1/audio/voices 100", "/v1/apps 50",
                              "/v1/workflows 30"])
            let modes = Set(fixture.log("personal-pat").filter { $0.path == "/v1/workflows" }.compactMap { $0.query["workflow_mode"] })
            #expect(modes == ["workflow", "chatflow"])
            let connectors = Set(fixture.log("personal-pat").filter { $0.path == "/v1/conversations" }.compactMap { $0.query["connector_id"] })
            #expect(connectors == ["1024", "999"])
            #expect(minimum["personal-pat"]! > 3 * scenario.bots.filter { $0.workspaceID == scenario.workspaces[0].id }.count)
        }
    }

    @Test("qps: one client-side limiter per credential keeps a crawl under the API's rate limit")
    func clientRateLimit() async throws {
        // The simulator allows bursts of `qps` requests per credential; personal-pat needs more than
        // that, so without the limiter this crawl would meet HTTP 429 / 4013 (the control below).
        // Time is virtual: the simulator's bucket refills only as its manual clock moves, and the
        // only thing that moves it is the client limiter's waiting. No limiter, no refill.
        let qps = 30.0
        let scenario = Scenario.generate(workspaces: 2, botsPerWorkspace: 20, conversationsPerBot: 2, voices: 2, seed: 9, qps: qps)
        let needed = scenario.minimumAuditRequests()["personal-pat"] ?? 0
        #expect(Double(needed) > qps + 5)
        let clock = ManualSimulatorClock()
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"], clock: clock) { fixture in
            var config = fixture.config(concurrency: 8)
            config.qps = qps
            var runner = try fixture.runner(concurrency: 8, maxAttempts: 1)
            runner.config = config
            runner.makeRateLimiter = { qps in
                CozeRateLimiter(qps: qps, now: { .seconds(clock.now().timeIntervalSince1970) }, sleeper: ClockAdvancingSleeper(clock: clock))
            }
            let result = try await runner.run()
            #expect(result.status == .complete)
            let limited = fixture.simulator.requestLog().filter { $0.httpStatus == 429 || $0.code == 4013 }
            #expect(limited.isEmpty, "\(limited.count) requests were rate limited")
            #expect(fixture.log("personal-pat").count == needed)
        }
    }

    @Test("control for the limiter test: the same crawl without the client limiter is throttled")
    func withoutLimiterIsThrottled() async throws {
        // The simulator's clock stands still, so its bucket never refills: without a client-side
        // limiter the requests past the first `qps` of a credential are answered 429 / 4013, however
        // fast or slow this machine is. (With the limiter the bucket refills in real time: above.)
        let qps = 30.0
        let scenario = Scenario.generate(workspaces: 2, botsPerWorkspace: 20, conversationsPerBot: 2, voices: 2, seed: 9, qps: qps)
        let needed = scenario.minimumAuditRequests()["personal-pat"] ?? 0
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"], clock: ManualSimulatorClock()) { fixture in
            let result = try await fixture.run(concurrency: 8, maxAttempts: 1)
            #expect(result.status == .partial)
            let limited = fixture.log("personal-pat").filter { $0.httpStatus == 429 || $0.code == 4013 }
            #expect(!limited.isEmpty && needed > Int(qps), "\(limited.count) of \(needed) requests were rate limited")
        }
    }

    @Test("The sequential baseline the benchmark compares with stores the same run")
    func baselineFindsTheSame() async throws {
        let scenario = Scenario.generate(workspaces: 5, botsPerWorkspace: 3, conversationsPerBot: 60, voices: 4, seed: 2)
        func audit(_ tuning: CrawlTuning, concurrency: Int) async throws -> [[String?]] {
            try await RunFixture.with(scenario, credentials: Self.everyone) { fixture in
                var runner = try fixture.runner(concurrency: concurrency)
                runner.tuning = tuning
                let result = try await runner.run()
                #expect(result.status == .complete)
                return try fixture.table("""
                    SELECT 'finding', key FROM finding WHERE run_id = :run
                    UNION ALL SELECT 'sighting', c.name || ' ' || s.kind || ' ' || s.resource_id || ' ' || s.payload
                      FROM sighting s JOIN credential c ON c.id = s.credential_id WHERE s.run_id = :run
                    UNION ALL SELECT 'listing', c.name || ' ' || l.endpoint || ' ' || l.params || ' ' || l.status || ' ' || l.pages || ' ' || l.items
                      FROM listing l JOIN credential c ON c.id = l.credential_id WHERE l.run_id = :run
                    ORDER BY 1, 2
                    """, ["run": result.runID])
            }
        }
        let fast = try await audit(CrawlTuning(), concurrency: 8)
        let baseline = try await audit(.sequentialBaseline, concurrency: 1)
        #expect(fast.count > 100)
        #expect(fast == baseline)
    }
}

/// A sleeper that waits by moving the simulator's manual clock forward: the client limiter's
/// pauses become virtual time the simulator's rate limit sees.
struct ClockAdvancingSleeper: CozeSleeper {
    let clock: ManualSimulatorClock

    func sleep(for duration: Duration) async throws {
        let (seconds, attoseconds) = duration.components
        clock.advance(by: Double(seconds) + Double(attoseconds) / 1e18)
        await Task.yield()
    }
}
