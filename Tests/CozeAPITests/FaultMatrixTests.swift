import AsyncHTTPClient
import CozeSimulator
import CozeTestSupport
import Testing

@testable import CozeAPI

/// The client-level cells of the fault matrix (docs/reliability.md): each fault is scripted in
/// the in-process simulator, the client runs with an injected sleeper (nothing really waits), and
/// every test asserts on the simulator's request log, never on a mocked transport.
@Suite("Fault matrix: client")
struct FaultMatrixTests {
    static func fault(
        _ kind: Scenario.Fault.Kind, _ endpoint: String = "GET /v1/users/me", pageNum: Int? = nil, times: Int? = nil,
        status: Int? = nil, retryAfter: Int? = nil
    ) -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, pageNum: pageNum, kind: kind, status: status, retryAfterSeconds: retryAfter, times: times)
    }

    /// The outcome of each observed attempt, as text.
    static func outcomes(_ events: Recorder<CozeRequestEvent>) -> [String] {
        events.values.map { event in
            switch event.outcome {
            case .success: "success"
            case .willRetry(let error, _): "retry \(error.classification)"
            case .failure(let error): "failure \(error.classification)"
            }
        }
    }

    // MARK: 5xx and rate limiting

    @Test("an HTTP 500, 502 or 503 burst is retried with exponential backoff and jitter until it succeeds", arguments: [500, 502, 503])
    func serverErrorBurst(status: Int) async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.httpStatus, times: 2, status: status))
            let sleeper = RecordingSleeper()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) { $0.retry.random = { 0.5 } }
            let user = try await client.currentUser()
            #expect(user.userID == "2105850000001")
            #expect(sim.log("/v1/users/me").map { $0.httpStatus } == [status, status, 200])
            // 500 ms base doubled per retry, times the jitter factor 0.5 + 0.5 * 0.5.
            #expect(sleeper.sleeps.values == [.milliseconds(375), .milliseconds(750)])
        }
    }

    @Test("a 5xx burst longer than the retries ends in a server error after exactly maxAttempts requests")
    func serverErrorPastRetries() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.httpStatus, status: 503))
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(token: SimulatorTokens.personal, maxAttempts: 3) { $0.observer = { events.append($0) } }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.classification == .server)
            #expect(error?.httpStatus == 503)
            let log = sim.log("/v1/users/me")
            #expect(log.map { $0.httpStatus } == [503, 503, 503])
            #expect(Self.outcomes(events) == ["retry server", "retry server", "failure server"])
            #expect(events.values.map { $0.logID } == log.map { $0.logID })
        }
    }

    @Test("HTTP 429 with Retry-After waits exactly the header's seconds, then retries")
    func rateLimit429WithRetryAfter() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.rateLimit429, times: 1, retryAfter: 2))
            let sleeper = RecordingSleeper()
            _ = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).currentUser()
            #expect(sleeper.sleeps.values == [.seconds(2)])
            #expect(sim.log("/v1/users/me").map { "\($0.httpStatus)/\($0.code)" } == ["429/4013", "200/0"])
        }
    }

    @Test("HTTP 429 without Retry-After backs off exponentially with jitter")
    func rateLimit429WithoutRetryAfter() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.rateLimit429, times: 2))
            let sleeper = RecordingSleeper()
            _ = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).currentUser()
            #expect(sleeper.sleeps.values == [.milliseconds(250), .milliseconds(500)])
            #expect(sim.log("/v1/users/me").map { $0.httpStatus } == [429, 429, 200])
        }
    }

    @Test("code 4013 inside an HTTP 200 with Retry-After waits the header's seconds, then retries")
    func code4013WithRetryAfter() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.code4013, "GET /v1/workspaces", times: 1, retryAfter: 3))
            let sleeper = RecordingSleeper()
            let workspaces = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).workspaces().allItems()
            #expect(workspaces.count == 2)
            #expect(sleeper.sleeps.values == [.seconds(3)])
            #expect(sim.log("/v1/workspaces").map { "\($0.httpStatus)/\($0.code)" } == ["200/4013", "200/0"])
        }
    }

    @Test("code 4013 inside an HTTP 200 without Retry-After backs off exponentially with jitter")
    func code4013WithoutRetryAfter() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.code4013, "GET /v1/workspaces", times: 2))
            let sleeper = RecordingSleeper()
            _ = try await sim.client(token: SimulatorTokens.personal, sleeper: sleeper).workspaces().allItems()
            #expect(sleeper.sleeps.values == [.milliseconds(250), .milliseconds(500)])
            #expect(sim.log("/v1/workspaces").map { $0.code } == [4013, 4013, 0])
        }
    }

    @Test("a huge Retry-After is capped at maxRetryAfter so one header cannot stall the run")
    func retryAfterCapped() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.retryAfter, times: 1, retryAfter: 86_400))
            let sleeper = RecordingSleeper()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) { $0.retry.maxRetryAfter = .seconds(5) }
            _ = try await client.currentUser()
            #expect(sleeper.sleeps.values == [.seconds(5)])
            #expect(sim.log("/v1/users/me").map { $0.httpStatus } == [429, 200])
        }
    }

    @Test("rate limiting that outlasts the throttle cap is a rateLimited error, never an answer; it does not use up the retries")
    func rateLimitPastRetries() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.code4013, "GET /v1/audio/voices"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal, maxAttempts: 2) { $0.maxThrottledAnswers = 5 }.voices().allItems()
            }
            #expect(error?.classification == .rateLimited)
            #expect(error?.isRetryable == true)
            #expect(sim.log("/v1/audio/voices").map { $0.code } == Array(repeating: 4013, count: 5))
        }
    }

    @Test("throttled answers do not use up retries.attempts: two 429s then an answer succeed with one attempt")
    func throttlesAreNotAttempts() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.code4013, "GET /v1/audio/voices", times: 2))
            let voices = try await sim.client(token: SimulatorTokens.personal, maxAttempts: 1).voices().allItems()
            #expect(!voices.isEmpty)
            #expect(sim.log("/v1/audio/voices").map { $0.code } == [4013, 4013, 0])
        }
    }

    @Test("the throttle cap also bounds the waiting: Retry-After answers stop once maxThrottleWait is spent")
    func throttleWaitCap() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/users/me", kind: .retryAfter, retryAfterSeconds: 30))
            let sleeper = RecordingSleeper()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) { $0.maxThrottleWait = .seconds(75) }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.classification == .rateLimited)
            // 30 s, 30 s, then a third wait would pass 75 s: three answers, two waits.
            #expect(sim.log("/v1/users/me").count == 3)
            #expect(sleeper.sleeps.values == [.seconds(30), .seconds(30)])
        }
    }

    // MARK: Deadlines, broken connections and bodies

    @Test("a response slower than the per-request deadline is a timeout, retried, and the retry succeeds")
    func slowPastRequestDeadline() async throws {
        try await SimulatorFixture.with { sim in
            // The server holds the first answer until the test releases it: slower than any deadline.
            sim.simulator.inject(Self.fault(.hold, times: 1))
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(token: SimulatorTokens.personal) {
                // Long enough for the retry's answer even on a loaded machine; the first attempt is parked.
                $0.requestTimeout = .seconds(3)
                $0.observer = { events.append($0) }
            }
            let user = try await client.currentUser()
            #expect(user.userID == "2105850000001")
            #expect(Self.outcomes(events) == ["retry transport", "success"])
            let first = try #require(events.values.first)
            guard case .willRetry(let error, _) = first.outcome else {
                Issue.record("the first attempt was not retried: \(first.outcome)")
                return
            }
            #expect(error.kind == .timeout)
            // The slow request is still parked; only the retry was answered.
            #expect(sim.simulator.heldRequests().map { $0.endpoint } == ["GET /v1/users/me"])
            #expect(sim.log("/v1/users/me").map { $0.httpStatus } == [200])
            sim.simulator.releaseHeld()
        }
    }

    @Test("the per-run deadline stops retries: a backoff that would pass it is not taken")
    func runDeadlineStopsRetries() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.httpStatus, status: 502))
            let sleeper = RecordingSleeper()
            let client = sim.client(token: SimulatorTokens.personal, sleeper: sleeper) {
                $0.runDeadline = .now + .seconds(60)
                $0.retry.baseDelay = .seconds(120)
                $0.retry.maxDelay = .seconds(120)
            }
            let error = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(error?.classification == .server)
            #expect(sleeper.sleeps.values.isEmpty)
            #expect(sim.log("/v1/users/me").count == 1)
        }
    }

    @Test("after the per-run deadline nothing is sent: the request fails as a timeout at once")
    func runDeadlinePassed() async throws {
        try await SimulatorFixture.with { sim in
            let client = sim.client(token: SimulatorTokens.personal) { $0.runDeadline = .now - .milliseconds(1) }
            let error = await #expect(throws: CozeAPIError.self) { try await client.workspaces().allItems() }
            #expect(error?.kind == .timeout)
            #expect(sim.simulator.requestLog().isEmpty)
        }
    }

    @Test("a connection closed mid-body is a transport error; the retry gets the whole answer")
    func connectionClosedMidBody() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.closeMidBody, "GET /v1/workspaces", times: 1))
            let events = Recorder<CozeRequestEvent>()
            let client = sim.client(token: SimulatorTokens.personal) { $0.observer = { events.append($0) } }
            let workspaces = try await client.workspaces().allItems()
            #expect(workspaces.count == 2)
            #expect(Self.outcomes(events) == ["retry transport", "success"])
            // The simulator logs both answers; the first one lost its second half on the wire.
            #expect(sim.log("/v1/workspaces").count == 2)
        }
    }

    @Test("a truncated or invalid JSON body is a malformed body, not retried and not an empty listing",
          arguments: [Scenario.Fault.Kind.truncatedJSON, .invalidJSON])
    func brokenJSON(kind: Scenario.Fault.Kind) async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(kind, "GET /v1/workspaces"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal).workspaces().allItems()
            }
            #expect(error?.kind == .malformedBody)
            #expect(error?.classification == .malformed)
            let log = sim.log("/v1/workspaces")
            #expect(log.count == 1)
            #expect(error?.logID == log.first?.logID)
        }
    }

    @Test("an HTML error page with status 200 is a malformed body with the page's log id, not retried")
    func htmlWithStatus200() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Self.fault(.html200, "GET /v1/audio/voices"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.personal).voices().allItems()
            }
            #expect(error?.kind == .malformedBody)
            #expect(error?.httpStatus == 200)
            #expect(error?.message.contains("<!DOCTYPE html>") == true)
            let log = sim.log("/v1/audio/voices")
            #expect(log.map { $0.httpStatus } == [200])
            #expect(error?.logID == log.first?.logID)
        }
    }

    @Test("a body larger than maxBodyBytes is refused without reading it whole")
    func bodyTooLarge() async throws {
        try await SimulatorFixture.with { sim in
            let client = sim.client(token: SimulatorTokens.personal) { $0.maxBodyBytes = 256 }
            let error = await #expect(throws: CozeAPIError.self) { try await client.workspaces().allItems() }
            #expect(error?.kind == .bodyTooLarge)
            #expect(sim.log("/v1/workspaces").count == 1)
        }
    }

    // MARK: Pagination

    @Test("a server that repeats a page with both page parameters is stopped with a paginationLoop error instead of spinning")
    func repeatedPage() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.repeatPage, "GET /v1/bots"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: PagingScenario.token).bots(workspaceID: "7610000000000000000", pageSize: 3).allItems()
            }
            #expect(error?.kind == .paginationLoop)
            #expect(error?.message.contains("both page_num and page_index") == true)
            // Page 2 is asked once more with the other documented parameter before giving up.
            #expect(sim.log("/v1/bots").map { $0.query["page_num"] ?? "index " + ($0.query["page_index"] ?? "?") } == ["1", "2", "index 2"])
        }
    }

    @Test("a server that repeats a page of a listing with one page parameter fails at once")
    func repeatedPageOneParameter() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.repeatPage, "GET /v1/workspaces"))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: PagingScenario.token).workspaces(pageSize: 2).allItems()
            }
            #expect(error?.kind == .paginationLoop)
            #expect(sim.log("/v1/workspaces").map { $0.query["page_num"] } == ["1", "2"])
        }
    }

    @Test("has_more always true without a total ends at an empty page confirmed by one more, with every item")
    func endlessHasMore() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.endlessHasMore, "GET /v1/audio/voices"))
            let voices = try await sim.client(token: PagingScenario.token).voices(pageSize: 2).allItems()
            #expect(voices.count == 4)
            #expect(sim.log("/v1/audio/voices").map { $0.query["page_num"] } == ["1", "2", "3", "4"])
        }
    }

    @Test("a listing whose total keeps growing past its short last page ends after one more request, with a note, not a failure")
    func endlessTotal() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.endlessHasMore, "GET /v1/workspaces"))
            var pages: [CozePage<CozeWorkspace>] = []
            for try await page in sim.client(token: PagingScenario.token).workspaces(pageSize: 2) { pages.append(page) }
            #expect(pages.flatMap(\.items).count == 5)
            #expect(pages.flatMap(\.notes) == ["total 9 but the listing ended after 5 item(s)"])
            #expect(sim.log("/v1/workspaces").map { $0.query["page_num"] } == ["1", "2", "3", "4"])
        }
    }

    @Test("the page cap stops a listing that never runs out of new pages")
    func pageCap() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let client = sim.client(token: PagingScenario.token) { $0.maxPages = 3 }
            let error = await #expect(throws: CozeAPIError.self) { try await client.bots(workspaceID: "7610000000000000000", pageSize: 1).allItems() }
            #expect(error?.kind == .paginationLoop)
            #expect(sim.log("/v1/bots").map { $0.query["page_num"] } == ["1", "2", "3"])
        }
    }

    @Test("a dropped page in a listing with a total is an error, not a shorter listing")
    func droppedPageWithTotal() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.dropPage, "GET /v1/workspaces", pageNum: 2))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: PagingScenario.token).workspaces(pageSize: 2).allItems()
            }
            #expect(error?.kind == .paginationLoop)
            // Page 2 is empty while the total says more: page 3 is asked once, and its items prove a page was lost.
            #expect(error?.message == "page 2 was empty while the listing said there was more, but page 3 has items: a page was dropped")
            #expect(sim.log("/v1/workspaces").map { $0.query["page_num"] } == ["1", "2", "3"])
        }
    }

    @Test("a dropped page in a has_more listing is caught by the confirming page, not taken as the end")
    func droppedPageWithHasMore() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.dropPage, "GET /v1/conversations", pageNum: 2))
            let error = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: PagingScenario.token)
                    .conversations(botID: "7710000000000000000", connectorID: "1024", pageSize: 1).allItems()
            }
            #expect(error?.kind == .paginationLoop)
            #expect(error?.message.contains("a page was dropped") == true)
            #expect(sim.log("/v1/conversations").map { $0.query["page_num"] } == ["1", "2", "3"])
        }
    }

    @Test("an id repeated within a page is kept as sent; the listing goes on")
    func duplicateWithinPage() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            sim.simulator.inject(Self.fault(.duplicateIDs, "GET /v1/bots", pageNum: 1))
            let bots = try await sim.client(token: PagingScenario.token).bots(workspaceID: "7610000000000000000", pageSize: 3).allItems()
            #expect(bots.count == 8)
            #expect(Set(bots.map { $0.id }).count == 7)
            #expect(sim.log("/v1/bots").map { $0.query["page_num"] } == ["1", "2", "3"])
        }
    }

    @Test("ids repeated across pages (items shifted while paging) are accepted; a total then left unreached is a note")
    func duplicateAcrossPages() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            // Page 1 is held (already answered from the scenario as it was) while a newer item is
            // created at the front: from page 2 on, items shift by one.
            let client = sim.client(token: PagingScenario.token)
            sim.simulator.inject(Self.fault(.hold, "GET /v1/conversations", pageNum: 1, times: 1))
            let conversations = Task {
                try await client.conversations(botID: "7710000000000000000", connectorID: "1024", pageSize: 2).allItems()
            }
            await sim.simulator.waitForHeldRequests(count: 1)
            sim.simulator.update { scenario in
                scenario.conversations.append(Scenario.Conversation(
                    id: "7890000000000000000", botID: "7710000000000000000", accountID: PagingScenario.account,
                    connectorID: "1024", name: "New", createdAt: 1_719_000_009))
            }
            sim.simulator.releaseHeld()
            let ids = try await conversations.value.map { $0.id }
            #expect(ids == ["7830000000000000000", "7820000000000000000", "7820000000000000000", "7810000000000000000"])
            #expect(sim.log("/v1/conversations").map { $0.query["page_num"] } == ["1", "2"])

            // With a total, the same shift is noticed — the new item was never received — and said as a
            // note: a total the pages never reach is a disagreement, not a failure (docs/evidence.md §6).
            sim.simulator.inject(Self.fault(.hold, "GET /v1/workspaces", pageNum: 1, times: 1))
            let workspaces = Task {
                var pages: [CozePage<CozeWorkspace>] = []
                for try await page in client.workspaces(pageSize: 2) { pages.append(page) }
                return pages
            }
            await sim.simulator.waitForHeldRequests(count: 1)
            sim.simulator.update { scenario in
                scenario.workspaces.insert(
                    Scenario.Workspace(id: "7600000000000000009", name: "New", accountID: PagingScenario.account,
                                       ownerUID: PagingScenario.account), at: 0)
            }
            sim.simulator.releaseHeld()
            let pages = try await workspaces.value
            #expect(pages.flatMap(\.items).count == 6, "5 distinct: one id repeated across pages")
            #expect(pages.flatMap(\.notes) == ["total 6 but the listing ended after 5 item(s)"])
            // Page 4 is empty after a full page while the total says more: page 5 is asked once.
            #expect(sim.log("/v1/workspaces").map { $0.query["page_num"] } == ["1", "2", "3", "4", "5"])
        }
    }

    @Test("a renamed optional field leaves the item as sent; a renamed id makes the page malformed")
    func renamedField() async throws {
        try await SimulatorFixture.with(PagingScenario.make()) { sim in
            let client = sim.client(token: PagingScenario.token)
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/conversations", kind: .renameField, times: 1,
                                                field: "connector_id", renameTo: "connector"))
            var pages: [CozePage<CozeConversation>] = []
            for try await page in client.conversations(botID: "7710000000000000000", connectorID: "1024") { pages.append(page) }
            #expect(!pages.flatMap { $0.items }.isEmpty)
            #expect(pages.flatMap { $0.items }.allSatisfy { $0.connectorID == nil })
            #expect(pages.flatMap { $0.rawItems }.allSatisfy { $0.contains(#""connector":"1024""#) })
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/audio/voices", kind: .renameField, field: "voice_id", renameTo: "vid"))
            let error = await #expect(throws: CozeAPIError.self) { try await client.voices().allItems() }
            #expect(error?.kind == .malformedBody)
            #expect(error?.message.contains("voice_id") == true)
            #expect(sim.log("/v1/conversations").count == 1)
            #expect(sim.log("/v1/audio/voices").count == 1)
        }
    }

    // MARK: Tokens

    @Test("a token that starts answering 4100 mid-run is not retried, and the next request is 4100 too")
    func tokenRejectedMidRun() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Scenario.Fault(endpoint: "*", credential: "personal-pat", kind: .tokenExpiresAfter, after: 2))
            let client = sim.client(token: SimulatorTokens.personal)
            _ = try await client.currentUser()
            _ = try await client.workspaces().allItems()
            let error = await #expect(throws: CozeAPIError.self) { try await client.voices().allItems() }
            #expect(error?.code == 4100)
            #expect(error?.classification == .invalidToken)
            await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(sim.simulator.requestLog().map { $0.code } == [0, 0, 4100, 4100])
        }
    }

    @Test("a 4101 saying the token is incorrect is a denial like a plain 4101 (the token-blaming rule is withdrawn)")
    func ambiguous4101() async throws {
        try await SimulatorFixture.with { sim in
            sim.simulator.inject(Scenario.Fault(
                endpoint: "GET /v1/users/me", kind: .apiError, status: 200, times: 1, code: 4101,
                message: "The token you entered is incorrect. Please double-check and try again."))
            let client = sim.client(token: SimulatorTokens.personal)
            let wrongToken = await #expect(throws: CozeAPIError.self) { try await client.currentUser() }
            #expect(wrongToken?.code == 4101)
            #expect(wrongToken?.classification == .permissionDenied)
            let denied = await #expect(throws: CozeAPIError.self) { try await sim.client(token: SimulatorTokens.team).voices().allItems() }
            #expect(denied?.code == 4101)
            #expect(denied?.classification == .permissionDenied)
            #expect(sim.simulator.requestLog().map { "\($0.endpoint) \($0.code)" } == ["GET /v1/users/me 4101", "GET /v1/audio/voices 4101"])
        }
    }

    @Test("a token rejected by a Coze site gets the base_url hint; the same rejection elsewhere does not")
    func siteHint() async throws {
        try await SimulatorFixture.with { sim in
            // The simulator stands in for api.coze.com (as a reverse proxy would); the token is a .cn one.
            let atCom = sim.client(token: SimulatorTokens.expired) { $0.siteHost = "api.coze.com" }
            let rejected = await #expect(throws: CozeAPIError.self) { try await atCom.currentUser() }
            #expect(rejected?.code == 4100)
            #expect(rejected?.hint == CozeClient.siteHint)
            #expect(rejected.map { "\($0)".contains("check base_url: tokens are per site") } == true)
            sim.simulator.inject(Scenario.Fault(endpoint: "GET /v1/users/me", kind: .apiError, times: 1, code: 4101,
                                                message: "The token you entered is incorrect."))
            let atCn = sim.client(token: SimulatorTokens.personal) { $0.siteHost = "api.coze.cn" }
            #expect(await #expect(throws: CozeAPIError.self) { try await atCn.currentUser() }?.hint == CozeClient.siteHint)
            let local = await #expect(throws: CozeAPIError.self) { try await sim.client(token: SimulatorTokens.expired).currentUser() }
            #expect(local?.hint == nil)
            let denied = await #expect(throws: CozeAPIError.self) {
                try await sim.client(token: SimulatorTokens.team) { $0.siteHost = "api.coze.cn" }.voices().allItems()
            }
            #expect(denied?.hint == nil)
            #expect(sim.simulator.requestLog().map { $0.code } == [4100, 4101, 4100, 4101])
        }
    }
}
