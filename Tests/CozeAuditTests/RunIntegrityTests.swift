import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// The run-level cells of the fault matrix (docs/reliability.md): the real `AuditRunner` against
/// the in-process simulator with scripted faults, an injected sleeper (no test waits for a
/// backoff) and assertions on the simulator's request log, the stored run and its findings.
/// A run that cannot list everything is `partial`, and findings never read a listing that failed
/// as the absence of what it would have listed.
@Suite("Fault matrix: run")
struct RunIntegrityTests {
    static let enterprise = "enterprise-pat"
    static let personal = "personal-pat"

    /// A fault on the enterprise credential's workspace listing and what the client does with it.
    struct UnansweredCase: Sendable, CustomTestStringConvertible {
        var name: String
        var fault: Scenario.Fault
        /// Requests the workspace listing makes (retries and pages included).
        var requests: Int
        /// The listing broke after successful HTTP answers (pagination, items): one unusable answer.
        var unusable = false
        var testDescription: String { name }
    }

    static let unanswered: [UnansweredCase] = [
        .init(name: "HTTP 500 past the retries", fault: .on(.httpStatus, status: 500), requests: 3),
        .init(name: "HTTP 502 past the retries", fault: .on(.httpStatus, status: 502), requests: 3),
        .init(name: "HTTP 503 past the retries", fault: .on(.httpStatus, status: 503), requests: 3),
        .init(name: "HTTP 429 without Retry-After past the throttle cap (10 answers; not counted as retries)", fault: .on(.rateLimit429), requests: 10),
        .init(name: "HTTP 429 with Retry-After past the throttle cap", fault: .on(.retryAfter, retryAfter: 1), requests: 10),
        .init(name: "code 4013 past the throttle cap", fault: .on(.code4013), requests: 10),
        .init(name: "connection closed mid-body past the retries", fault: .on(.closeMidBody), requests: 3),
        .init(name: "truncated JSON", fault: .on(.truncatedJSON), requests: 1),
        .init(name: "invalid JSON", fault: .on(.invalidJSON), requests: 1),
        .init(name: "HTML page with status 200", fault: .on(.html200), requests: 1),
        .init(name: "a repeated page", fault: .on(.repeatPage), requests: 2, unusable: true),
        .init(name: "an item without its id (renamed field)", fault: .on(.renameField, field: "id", renameTo: "wid"),
              requests: 1, unusable: true),
    ]

    /// The cause a partial run's reason names for each fault (`FailureCause`), in plain words.
    static func cause(of fault: Scenario.Fault) -> String {
        switch fault.kind {
        case .httpStatus: "HTTP \(fault.status ?? 500) without a Coze envelope"
        case .rateLimit429, .retryAfter, .code4013: "rate limited, code 4013"
        case .closeMidBody: "connection closed mid-answer"
        case .truncatedJSON, .invalidJSON, .html200, .renameField: "malformed body, HTTP 200"
        case .repeatPage: "inconsistent pages"
        default: "?"
        }
    }

    @Test("a listing that cannot be answered makes the run partial with the reason, stores every failed attempt, and hides nothing behind a false finding",
          arguments: unanswered)
    func unansweredListing(_ unanswered: UnansweredCase) async throws {
        try await RunFixture.with { fixture in
            // Positive control: without the fault these findings exist.
            let first = try await fixture.run()
            #expect(first.status == .complete)
            let before = try fixture.findings(run: first.runID)
            #expect(before.contains("not_visible_to_enterprise:workspace:7400000000000000001"))
            #expect(before.contains("not_visible_to_enterprise:bot:7410000000000000001"))
            #expect(before.contains("needs_personal_grant:conversation:7420000000000000001"))

            fixture.simulator.clearRequestLog()
            fixture.simulator.inject(unanswered.fault)
            let second = try await fixture.run()
            #expect(second.status == .partial)
            // One line per cause: what failed in plain words, the server (no path), how many listings of
            // which credentials, never one clause per listing.
            #expect(second.reason == "could not list: \(Self.cause(of: unanswered.fault)) at \(fixture.simulator.baseURL): "
                    + "1 listing of 1 credential (enterprise-pat on GET /v1/workspaces)")
            #expect(try fixture.table("SELECT status, reason FROM run WHERE id = ?", [second.runID])
                == [["partial", second.reason]])

            // The request log: the listing was tried as often as the policy allows, its children never.
            let log = fixture.log(Self.enterprise)
            #expect(log.filter { $0.path == "/v1/workspaces" }.count == unanswered.requests)
            #expect(log.filter { $0.path == "/v1/bots" || $0.path == "/v1/conversations" }.isEmpty)

            // Every attempt counted, every failed one stored (the enterprise voices listing answers 4101).
            let failed = unanswered.unusable ? 2 : unanswered.requests + 1
            #expect(try fixture.counts(Self.enterprise, run: second.runID) == [String(log.count), String(failed)])
            #expect(try fixture.failureLogIDs(Self.enterprise, run: second.runID).count == failed)
            let visibleFailures = log.filter { $0.failed }.map { $0.logID }
            #expect(Set(visibleFailures).isSubset(of: Set(try fixture.failureLogIDs(Self.enterprise, run: second.runID))))

            // What the enterprise could not list is unknown, not invisible to it.
            let after = try fixture.findings(run: second.runID)
            #expect(after.filter { $0.hasPrefix("not_visible_to_enterprise:") } == [])
            #expect(after.filter { $0.hasPrefix("needs_personal_grant:conversation:") } == [])
            #expect(after.filter { $0.hasPrefix("workspace_scope_gap:") } == [])
            // The voices listing answered (4101): the gap stays. (A voice needs_personal_grant needs an
            // enterprise voice listing that answered: docs/evidence.md §5; RunFixture has none.)
            #expect(after.contains("enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices"))
        }
    }

    @Test("an empty page, or a total that keeps growing, while total_count says more is a note after one more request, not a failure: the run is complete",
          arguments: [Scenario.Fault.Kind.dropPage, .endlessHasMore])
    func emptyPageIsANote(_ kind: Scenario.Fault.Kind) async throws {
        try await RunFixture.with { fixture in
            fixture.simulator.inject(Scenario.Fault.on(kind))
            let result = try await fixture.run()
            #expect(result.status == .complete)
            #expect(fixture.log(Self.enterprise).filter { $0.path == "/v1/workspaces" }.map { $0.query["page_num"] } == ["1", "2"])
            #expect(try fixture.table("""
                SELECT l.status, l.note FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE c.name = 'enterprise-pat' AND l.endpoint = 'GET /v1/workspaces' AND l.run_id = ?
                """, [result.runID]).map { $0[0] } == ["ok"])
            let note = try fixture.table("""
                SELECT l.note FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE c.name = 'enterprise-pat' AND l.endpoint = 'GET /v1/workspaces' AND l.run_id = ?
                """, [result.runID]).first?.first ?? nil
            #expect(note?.hasPrefix("total ") == true && note?.contains("but the listing ended after") == true, "\(note ?? "nil")")
        }
    }

    @Test("a response slower than request_timeout_seconds is a timeout, retried, then a partial run")
    func requestTimeout() async throws {
        try await RunFixture.with { fixture in
            fixture.simulator.inject(Scenario.Fault.on(.hold))
            // A deadline long enough for every other answer even on a loaded 2-core machine; two attempts.
            let result = try await fixture.run(limits: ClientLimits(requestTimeout: .seconds(3)), maxAttempts: 2)
            #expect(result.status == .partial)
            #expect(result.reason == "could not list: timed out at \(fixture.simulator.baseURL): 1 listing of 1 credential (enterprise-pat on GET /v1/workspaces)")
            // Both attempts parked by the server and abandoned by the client; nothing answered them.
            #expect(fixture.simulator.heldRequests().map { $0.endpoint } == ["GET /v1/workspaces", "GET /v1/workspaces"])
            #expect(fixture.log(Self.enterprise).map { $0.endpoint }.sorted() == ["GET /v1/audio/voices", "GET /v1/users/me"])
            #expect(try fixture.counts(Self.enterprise, run: result.runID) == ["4", "3"])
            #expect(try fixture.table("""
                SELECT f.endpoint, f.http_status, f.logid FROM request_failure f JOIN credential c ON c.id = f.credential_id
                WHERE c.name = 'enterprise-pat' AND f.endpoint = 'GET /v1/workspaces'
                """) == Array(repeating: ["GET /v1/workspaces", nil, nil], count: 2))
        }
    }

    @Test("past run_timeout_seconds nothing more is sent: the listings left fail and the run is partial")
    func runTimeout() async throws {
        try await RunFixture.with { fixture in
            // The enterprise workspace listing hangs until the run deadline cuts it off.
            fixture.simulator.inject(Scenario.Fault.on(.hold))
            // The run deadline must leave every other listing time to finish even on a loaded machine.
            let result = try await fixture.run(limits: ClientLimits(requestTimeout: .seconds(60), runTimeout: .seconds(6)))
            #expect(result.status == .partial)
            // The held listing timed out; on a loaded machine other listings still in flight at the
            // deadline are cut off too, in the same cause or as `run deadline passed`.
            let reason = result.reason ?? ""
            #expect(reason.hasPrefix("could not list: "), "\(reason)")
            let causes = reason.dropFirst("could not list: ".count).components(separatedBy: "; ")
            let timedOut = causes.first { $0.hasPrefix("timed out at \(fixture.simulator.baseURL): ") } ?? ""
            #expect(timedOut.contains("enterprise-pat") && timedOut.contains("GET /v1/workspaces"), "\(reason)")
            // One attempt: no retry may start past the deadline, and no backoff was slept towards it.
            #expect(fixture.simulator.heldRequests().map { $0.endpoint } == ["GET /v1/workspaces"])
            #expect(fixture.log(Self.enterprise).filter { $0.path == "/v1/workspaces" }.isEmpty)
            #expect(try fixture.table("""
                SELECT count(*) FROM request_failure f JOIN credential c ON c.id = f.credential_id
                WHERE c.name = 'enterprise-pat' AND f.endpoint = 'GET /v1/workspaces'
                """) == [["1"]])
        }
    }

    @Test("a token that starts answering 4100 mid-run: its later listings are blind spots, not absence, and the run is partial")
    func tokenRejectedMidRun() async throws {
        try await RunFixture.with { fixture in
            // users/me and the workspace listing answer; the third request (a workspace's bots, apps or
            // workflows, or the voices) gets 4100.
            fixture.simulator.inject(Scenario.Fault(endpoint: "*", credential: Self.enterprise, kind: .tokenExpiresAfter, after: 2))
            let result = try await fixture.run(concurrency: 1)
            #expect(result.status == .partial)
            // The rejected listing and the twelve never sent (three enterprise workspaces × bots, apps,
            // workflows of two modes, and the voices) are one cause.
            #expect(result.reason?.hasPrefix("could not list: token rejected mid-run, code 4100 at \(fixture.simulator.baseURL): 13 listings of 1 credential (enterprise-pat on ") == true,
                    "\(result.reason ?? "nil")")
            // Nothing is sent for this credential after the rejection.
            let log = fixture.log(Self.enterprise)
            #expect(log.map { $0.code } == [0, 0, 4100])
            #expect(log.prefix(2).map { $0.endpoint } == ["GET /v1/users/me", "GET /v1/workspaces"])
            let listings = try fixture.table("""
                SELECT l.endpoint, l.code, l.message FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE c.name = 'enterprise-pat' AND l.status = 'invalid' ORDER BY l.code IS NULL, l.endpoint, l.params
                """)
            #expect(listings.count == 13)
            #expect(listings.first == [log.last?.endpoint, "4100", "authentication is invalid"])
            #expect(listings.dropFirst().allSatisfy { $0[1] == nil && $0[2] == "not attempted: the token was rejected earlier in this run" })
            let credential = try fixture.table("""
                SELECT rc.status, rc.detail FROM run_credential rc JOIN credential c ON c.id = rc.credential_id WHERE c.name = 'enterprise-pat'
                """)
            #expect(credential.first?[0] == "invalid")
            #expect(credential.first?[1]?.hasPrefix("token rejected mid-run after it had answered: \(log.last?.endpoint ?? "?")") == true)
            #expect(try fixture.table("SELECT DISTINCT kind FROM blind_spot ORDER BY kind")
                    == [["app"], ["bot"], ["conversation"], ["voice"], ["workflow"]])
            let findings = try fixture.findings(run: result.runID)
            // Workspaces were listed before the rejection: those findings are observations.
            #expect(findings.contains("not_visible_to_enterprise:workspace:7400000000000000001"))
            // Bots, conversations and voices were not: no finding claims the enterprise cannot see them.
            #expect(findings.filter { $0.hasPrefix("not_visible_to_enterprise:bot:") } == [])
            #expect(findings.filter { $0.hasPrefix("needs_personal_grant:") } == [])
            #expect(findings.filter { $0.hasPrefix("enterprise_permission_gap:") } == [])
        }
    }

    @Test("a personal PAT whose listing failed is never called superseded")
    func failedListingNeverSupersedes() async throws {
        try await RunFixture.with(credentials: [Self.personal, "team-pat-2024", Self.enterprise]) { fixture in
            let first = try await fixture.run()
            #expect(try fixture.findings(run: first.runID).contains("stale_pat:team-pat-2024"))
            #expect(try fixture.table("SELECT reason FROM finding WHERE key = 'stale_pat:team-pat-2024'") == [["superseded"]])
            fixture.simulator.clearRequestLog()
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: "team-pat-2024", kind: .httpStatus, status: 502))
            let second = try await fixture.run()
            #expect(second.status == .partial)
            #expect(!(try fixture.findings(run: second.runID)).contains("stale_pat:team-pat-2024"))
            #expect(fixture.log("team-pat-2024").filter { $0.path == "/v1/workspaces" }.map { $0.httpStatus } == [502, 502, 502])
        }
    }

    @Test("an outage in a later run does not make earlier conversations stranded; a real loss does")
    func outageIsNotStranded() async throws {
        try await RunFixture.with { fixture in
            let first = try await fixture.run()
            #expect(first.status == .complete)
            #expect(try fixture.findings(run: first.runID).filter { $0.hasPrefix("stranded:") } == [])

            // The personal conversation listings fail: the conversations are unknown, not stranded.
            fixture.simulator.clearRequestLog()
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/conversations", credential: Self.personal, kind: .httpStatus, status: 500))
            let second = try await fixture.run()
            #expect(second.status == .partial)
            #expect(try fixture.findings(run: second.runID).filter { $0.hasPrefix("stranded:") } == [])
            #expect(fixture.log(Self.personal).filter { $0.path == "/v1/conversations" }.allSatisfy { $0.httpStatus == 500 })

            // Positive control: the conversation really moves out of every credential's reach.
            fixture.simulator.update { scenario in
                scenario.faults.removeAll()
                if let index = scenario.conversations.firstIndex(where: { $0.id == "7420000000000000003" }) {
                    scenario.conversations[index].accountID = "volcano_2105850123"
                }
            }
            let third = try await fixture.run()
            #expect(third.status == .complete)
            #expect(try fixture.findings(run: third.runID).filter { $0.hasPrefix("stranded:") } == ["stranded:conversation:7420000000000000003"])
        }
    }

    @Test("retried failures of a run that completed are stored with status, code and log id, and counted as attempts")
    func retriedFailuresStored() async throws {
        try await RunFixture.with { fixture in
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/audio/voices", credential: Self.personal, kind: .httpStatus,
                                                    status: 502, times: 1))
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: Self.personal, kind: .code4013, times: 1))
            let result = try await fixture.run()
            #expect(result.status == .complete)
            let log = fixture.log(Self.personal)
            let failed = log.filter { $0.failed }
            #expect(failed.map { "\($0.endpoint) \($0.httpStatus) \($0.code)" }.sorted()
                == ["GET /v1/audio/voices 502 -1", "GET /v1/workspaces 200 4013"])
            #expect(try fixture.counts(Self.personal, run: result.runID) == [String(log.count), "2"])
            #expect(try fixture.table("""
                SELECT f.endpoint, f.http_status, f.code, f.logid FROM request_failure f JOIN credential c ON c.id = f.credential_id
                WHERE c.name = 'personal-pat' ORDER BY f.endpoint
                """) == [
                    ["GET /v1/audio/voices", "502", nil, failed.first { $0.path == "/v1/audio/voices" }?.logID],
                    ["GET /v1/workspaces", "200", "4013", failed.first { $0.path == "/v1/workspaces" }?.logID],
                ])
            // Each was asked once more and then answered: one retry for the 502 (an attempt), one for the
            // throttled answer (paced by the credential's adaptive limiter, not an attempt).
            #expect(log.filter { $0.path == "/v1/audio/voices" }.map { $0.httpStatus } == [502, 200])
            #expect(log.filter { $0.path == "/v1/workspaces" }.map { $0.code } == [4013, 0])
            // The 502's backoff (500 ms × jitter 0.75) was taken.
            #expect(fixture.sleeper.sleeps.values.contains(.milliseconds(375)))
        }
    }

    @Test("a 4101 that says the token is incorrect is a denial, not invalid (the token-blaming rule is withdrawn): no PAT advised for deletion, account-level 4101s are gaps")
    func ambiguous4101() async throws {
        try await RunFixture.with(credentials: [Self.personal, "team-pat-2024", Self.enterprise]) { fixture in
            let message = "The token you entered is incorrect. Please double-check and try again."
            for name in [Self.enterprise, "team-pat-2024"] {
                fixture.simulator.inject(Scenario.Fault(endpoint: "*", credential: name, kind: .apiError, code: 4101, message: message))
            }
            let result = try await fixture.run()
            #expect(result.status == .complete)
            #expect(try fixture.table("""
                SELECT c.name, rc.status FROM run_credential rc JOIN credential c ON c.id = rc.credential_id ORDER BY c.name
                """) == [["enterprise-pat", "ok"], ["personal-pat", "ok"], ["team-pat-2024", "ok"]])
            let findings = try fixture.findings(run: result.runID)
            // users/me answered 4101, not code 0: team-pat-2024 is neither invalid nor superseded.
            #expect(findings.filter { $0.hasPrefix("stale_pat:") } == [])
            #expect(findings.filter { $0.hasPrefix("enterprise_permission_gap:") } == [
                "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices",
                "enterprise_permission_gap:enterprise-pat:GET /v1/workspaces",
            ])
            // A denied users/me does not stop the crawl: the account-level listings are asked.
            #expect(Set(fixture.log(Self.enterprise).map { $0.endpoint }) == ["GET /v1/users/me", "GET /v1/workspaces", "GET /v1/audio/voices"])
            #expect(Set(fixture.log("team-pat-2024").map { $0.endpoint }) == ["GET /v1/users/me", "GET /v1/workspaces", "GET /v1/audio/voices"])
        }
    }

    @Test("ids duplicated within and across pages are stored once; the inventory is the same as without them")
    func duplicatesCountedOnce() async throws {
        try await RunFixture.with { fixture in
            let first = try await fixture.run()
            fixture.simulator.clearRequestLog()
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/workspaces", credential: Self.enterprise, kind: .duplicateIDs))
            fixture.simulator.inject(Scenario.Fault(endpoint: "GET /v1/audio/voices", credential: Self.personal, kind: .duplicateIDs))
            let second = try await fixture.run()
            #expect(second.status == .complete)
            let sightings = "SELECT c.name, s.kind, s.resource_id FROM sighting s JOIN credential c ON c.id = s.credential_id WHERE s.run_id = ? ORDER BY 1, 2, 3"
            #expect(try fixture.table(sightings, [second.runID]) == fixture.table(sightings, [first.runID]))
            #expect(try fixture.findings(run: second.runID) == fixture.findings(run: first.runID))
            #expect(fixture.log(Self.enterprise).filter { $0.path == "/v1/workspaces" }.count == 1)
        }
    }
}

extension Scenario.Fault {
    /// A fault on the enterprise credential's workspace listing.
    fileprivate static func on(_ kind: Kind, status: Int? = nil, retryAfter: Int? = nil, field: String? = nil,
                               renameTo: String? = nil) -> Scenario.Fault {
        Scenario.Fault(endpoint: "GET /v1/workspaces", credential: RunIntegrityTests.enterprise, kind: kind, status: status,
                       retryAfterSeconds: retryAfter, field: field, renameTo: renameTo)
    }
}
