import CozeAPI
import CozeSimulator
import CozeTestSupport
import Testing

/// Scripted faults: retries, Retry-After, malformed bodies, loops, limits, deadlines, observer.
@Suite("Retries and faults")
struct RetryAndFaultTests {
    static func fault(_ kind: Scenario.Fault.Kind, _ endpoint: String = "GET /v1/users/me", times: Int? = nil,
        status: Int? = nil, retryAfter: Int? = nil, pageNum: Int? = nil) -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, pageNum: pageNum, kind: kind, status: status, retryAfterSeconds: retryAfter, times: times)
    }

    @Test("two 429s with Retry-After 0 are retried without waiting and the third attempt succeeds")
    func retryAfterZero() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.rateLimit429, times: 2, retryAfter: 0))
            let sleeper = RecordingSleeper()
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) { $0.observer = { events.append($0) } }
            _ = try await client.currentUser()
            #expect(sleeper.sleeps.values == [.zero, .zero])
            #expect(sim.log("/v1/users/me").map { $0.httpStatus } == [429, 429, 200])
            let outcomes = events.values.map { event -> String in
                switch event.outcome {
                case .success: return "success"
                case .willRetry: return "retry"
                case .failure: return "failure"
                }
            }
            #expect(outcomes == ["retry", "retry", "success"])
            #expect(events.values.map { $0.attempt } == [1, 2, 3])
            #expect(events.values.map { $0.httpStatus } == [429, 429, 200])
            #expect(events.values.allSatisfy { $0.endpoint == "GET /v1/users/me" && $0.logID != nil })
            #expect(events.values[0].code == 4013)
        }
    }

    @Test("Retry-After seconds are honoured as the wait")
    func retryAfterSeconds() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.retryAfter, times: 1, retryAfter: 7))
            let sleeper = RecordingSleeper()
            _ = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).currentUser()
            #expect(sleeper.sleeps.values == [.seconds(7)])
        }
    }

    @Test("a 5xx is retried with exponential backoff scaled by the injected jitter")
    func serverErrorBackoff() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.httpStatus, times: 3, status: 503))
            let sleeper = RecordingSleeper()
            _ = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).currentUser()
            // base 500 ms, doubled per retry, times (0.5 + 0.5 * random()) with random() = 0.
            #expect(sleeper.sleeps.values == [.milliseconds(250), .milliseconds(500), .milliseconds(1000)])
        }
    }

    @Test("code 4013 in an HTTP 200 body is rate limiting and retried")
    func code4013() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.code4013, times: 1))
            let user = try await sim.client(token: SimulatorTokens.personal).currentUser()
            #expect(user.userID == "2105850000001")
            #expect(sim.log("/v1/users/me").map { $0.code } == [4013, 0])
        }
    }

    @Test("throttling is bounded: persistent rate limiting ends in a rateLimited error after maxThrottledAnswers, whatever maxAttempts")
    func retriesExhausted() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.rateLimit429, retryAfter: 0))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal, maxAttempts: 3) { $0.maxThrottledAnswers = 4 }.currentUser()
            }
            #expect(error?.classification == .rateLimited)
            #expect(sim.log("/v1/users/me").count == 4)
        }
    }

    @Test("retries are bounded: persistent 5xx ends after maxAttempts")
    func serverRetriesExhausted() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/users/me", kind: .httpStatus, status: 503))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal, maxAttempts: 3).currentUser()
            }
            #expect(error?.classification == .server)
            #expect(sim.log("/v1/users/me").count == 3)
        }
    }

    @Test("an HTML page with status 200 is a malformed body and is not retried")
    func html200() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.html200, "GET /v1/workspaces"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal).workspaces().allItems()
            }
            #expect(error?.kind == .malformedBody)
            #expect(error?.httpStatus == 200)
            #expect(error?.logID == sim.log("/v1/workspaces").last?.logID)
            #expect(sim.log("/v1/workspaces").count == 1)
        }
    }

    @Test("truncated and invalid JSON bodies are malformed", arguments: [Scenario.Fault.Kind.truncatedJSON, .invalidJSON])
    func brokenJSON(_ kind: Scenario.Fault.Kind) async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(kind, "GET /v1/workspaces"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal).workspaces().allItems()
            }
            #expect(error?.kind == .malformedBody)
        }
    }

    @Test("a connection dropped mid-body is a transport error that is retried")
    func closeMidBody() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.closeMidBody, times: 1))
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(token: SimulatorTokens.personal) { $0.observer = { events.append($0) } }
            _ = try await client.currentUser()
            guard case .willRetry(let error, _) = events.values.first?.outcome else {
                Issue.record("expected a retried first attempt"); return
            }
            #expect(error.kind == .transport)
            #expect(events.values.count == 2)
        }
    }

    @Test("a server repeating the previous page is stopped with a paginationLoop error")
    func repeatPage() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.repeatPage, "GET /v1/workspaces"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: PagingScenario.token).workspaces(pageSize: 2).allItems()
            }
            #expect(error?.kind == .paginationLoop)
            #expect(sim.log("/v1/workspaces").count == 2)
        }
    }

    @Test("endless has_more ends at the first empty page (confirmed by one more) instead of looping")
    func endlessHasMore() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.endlessHasMore, "GET /v1/audio/voices"))
            let voices = try await sim.client(token: PagingScenario.token).voices(pageSize: 2).allItems()
            #expect(voices.count == 4)
            #expect(sim.log("/v1/audio/voices").count == 4)
        }
    }

    @Test("the page cap stops a listing that never ends")
    func pageCap() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let client = sim.client(token: PagingScenario.token) { $0.maxPages = 2 }
            let error = await #expect(throws: CozeAPIError.self) { try await client.workspaces(pageSize: 1).allItems() }
            #expect(error?.kind == .paginationLoop)
            #expect(sim.log("/v1/workspaces").count == 2)
        }
    }

    @Test("a body above maxBodyBytes is refused")
    func bodyCap() async throws {
        try await SimulatorFixture.with { sim in
            let client = sim.client(token: SimulatorTokens.personal) { $0.maxBodyBytes = 64 }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.kind == .bodyTooLarge)
            #expect(sim.log("/v1/users/me").count == 1)
        }
    }

    @Test("a run deadline already passed fails without sending anything")
    func runDeadlinePassed() async throws {
        try await SimulatorFixture.with { sim in
            let client = sim.client(token: SimulatorTokens.personal) { $0.runDeadline = .now - .seconds(1) }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.kind == .timeout)
            #expect(sim.simulator.requestLog().isEmpty)
        }
    }

    @Test("a request that outlives its deadline is a timeout")
    func requestTimeout() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.hold, times: 1))
            let client = sim.client(token: SimulatorTokens.personal, maxAttempts: 1) { $0.requestTimeout = .milliseconds(200) }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.kind == .timeout)
            #expect(error?.classification == .transport)
            // The request reached the server and was parked there (a connect-phase timeout would not
            // have been): the deadline cut a request that was waiting for its answer.
            await sim.simulator.waitForHeldRequests(count: 1)
            #expect(sim.simulator.heldRequests().map { $0.endpoint } == ["GET /v1/users/me"])
            #expect(error?.message.contains("connect") == false, "\(error?.message ?? "")")
            #expect(sim.simulator.releaseHeld() == 1)
        }
    }

    @Test("a backoff that would pass the run deadline is not taken")
    func backoffRespectsRunDeadline() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.retryAfter, times: 1, retryAfter: 30))
            let sleeper = RecordingSleeper()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) { $0.runDeadline = .now + .seconds(10) }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.classification == .rateLimited)
            #expect(sleeper.sleeps.values.isEmpty)
        }
    }
}
