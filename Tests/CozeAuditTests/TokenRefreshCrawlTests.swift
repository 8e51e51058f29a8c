import AsyncHTTPClient
import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// A JWT app whose token lives 120 s, crawled by the real `Crawler` while simulated time moves a
/// fixed step on every request the simulator answers: the crawl spans several token lifetimes, and
/// the client must renew each token before it expires (docs/openapi.md §8.1: `expires_in` is absolute).
@Suite("Token refresh during a crawl")
struct TokenRefreshCrawlTests {
    static let personal = "2105850000001"
    static let enterprise = "volcano_2105850123"
    static let ttl: TimeInterval = 120
    static let lead: TimeInterval = 30
    static let tokenPath = "/api/permission/oauth2/enterprise_id/volcano_2105850123/token"

    /// Simulated seconds per request. The client renews a token 60 s before it expires; the
    /// simulator's clock runs 30 s ahead of the client's (latency and skew), so a client that
    /// renewed late (or never, or misread `expires_in`) would send an expired token and get 4100.
    /// One listing in flight: with more, every other request answered between a task's token check
    /// and its request's arrival moves simulated time, and how many there are depends on thread
    /// scheduling, which a test cannot pin down. Steps stay under the margin, so the crawl never
    /// idles long enough for a token to lapse between requests.
    struct Pace: Sendable, CustomTestStringConvertible {
        var step: TimeInterval
        var testDescription: String { "\(Int(step)) s per request" }
    }

    @Test("the token is renewed before each expiry throughout a crawl spanning several lifetimes, and the crawl is complete",
          arguments: [Pace(step: 20), Pace(step: 45)])
    func refreshDuringCrawl(pace: Pace) async throws {
        var scenario = Scenario.generate(workspaces: 16, botsPerWorkspace: 6, conversationsPerBot: 2, voices: 6, seed: 11)
        scenario.jwtApps = [
            Scenario.JWTApp(
                name: "enterprise-app", clientID: "1150000000001", keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                enterpriseID: Self.enterprise, tokenTTLSeconds: Int64(Self.ttl), personalAccountGrant: Self.personal),
        ]
        let expected = Self.expectedSightings(scenario)

        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = SteppingClock(ManualSimulatorClock(start), step: pace.step, lead: Self.lead)
        let simulator = CozeSimulator(scenario: scenario, clock: clock)
        try await simulator.start()
        let http = CozeHTTPClient.make(connectionsPerHost: 1)
        do {
            let manual = clock.manual
            let watched = ExpiryWatchingAuth(try JWTAppAuth(
                clientID: "1150000000001", keyID: DemoAppKey.keyID, privateKeyPEM: DemoAppKey.privateKeyPEM,
                scope: .enterprise(Self.enterprise), now: { manual.now() }))
            let store = try AuditStore(inMemory: ())
            let recorder = try RunRecorder.begin(store: store, baseURL: simulator.baseURL, startedAt: manual.now())
            let credentialID = try recorder.addCredential(name: "enterprise-app", side: "enterprise", auth: "jwt",
                                                          fingerprint: watched.fingerprint)
            let client = CozeClient(baseURL: simulator.baseURL, auth: watched, httpClient: http,
                                    options: CozeClientOptions(retry: .none))
            let counters = try await Crawler(recorder: recorder, concurrency: 1)
                .crawl([CrawlTarget(credentialID: credentialID, name: "enterprise-app", side: .enterprise, client: client)])

            // The crawl is complete: every listing answered, every expected resource seen.
            let runID = recorder.runID
            #expect(counters["enterprise-app"]?.errors == 0)
            #expect(try store.read { db in
                try String.fetchAll(db, sql: "SELECT status FROM run_credential WHERE run_id = ?", arguments: [runID])
            } == ["ok"])
            #expect(try store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT endpoint || '?' || params || ' ' || status FROM listing WHERE run_id = ? AND status <> 'ok' ORDER BY 1
                    """, arguments: [runID])
            } == [])
            let seen = try store.read { db in
                try String.fetchAll(db, sql: "SELECT kind || ':' || resource_id FROM sighting WHERE run_id = ?", arguments: [runID])
            }
            #expect(seen.count == Set(seen).count)
            #expect(Set(seen) == expected, "missing: \(expected.subtracting(seen).sorted()); extra: \(Set(seen).subtracting(expected).sorted())")

            // The crawl spanned several token lifetimes of simulated time.
            let elapsed = manual.now().timeIntervalSince(start)
            #expect(elapsed > 3 * Self.ttl, "simulated time elapsed: \(elapsed) s")

            // No request was answered 4100 / HTTP 401, and every token request succeeded.
            let log = simulator.requestLog()
            #expect(log.filter { $0.code == 4100 || $0.httpStatus == 401 }.map { $0.description } == [])
            let tokenRequests = log.filter { $0.path.hasPrefix("/api/permission/oauth2/") }
            #expect(tokenRequests.allSatisfy { $0.path == Self.tokenPath && $0.httpStatus == 200 && $0.code == 0 },
                    "\(tokenRequests.map { $0.description })")
            #expect(tokenRequests.count > 1)
            #expect(log.filter { !$0.path.hasPrefix("/api/permission/oauth2/") }.allSatisfy { $0.credential == "enterprise-app" })

            // Each token was requested before the previous one expired: issue times are the
            // simulator's clock at each token request (the time part of its log id), expiries are
            // the absolute `expires_in` the client received.
            let issued = try tokenRequests.map { try #require(Self.time(ofLogID: $0.logID), "log id \($0.logID)") }.sorted()
            let expiries = watched.expiries()
            try #require(expiries.count == issued.count, "expiries \(expiries.count), token requests \(issued.count)")
            for (index, issue) in issued.enumerated() {
                #expect(expiries[index] == issue.addingTimeInterval(Self.ttl), "token \(index): expires_in = issue + TTL")
                if index > 0 {
                    #expect(issue < expiries[index - 1], "token \(index) requested at \(issue), previous expired at \(expiries[index - 1])")
                }
            }
            #expect(tokenRequests.count >= Int(elapsed / Self.ttl), "at least one token per lifetime of simulated time")
        } catch {
            try? await http.shutdown()
            await simulator.stop()
            throw error
        }
        try await http.shutdown()
        await simulator.stop()
    }

    /// What the enterprise app reaches, read from the scenario rather than the crawler: its
    /// enterprise's workspaces, their bots, those bots' conversations by the enterprise or the
    /// granted personal account (both connectors), and system, enterprise and granted voices.
    static func expectedSightings(_ scenario: Scenario) -> Set<String> {
        let accounts: Set<String> = [enterprise, personal]
        let workspaces = Set(scenario.workspaces.filter { $0.accountID == enterprise }.map { $0.id })
        let bots = scenario.bots.filter { workspaces.contains($0.workspaceID) }
        let botIDs = Set(bots.map { $0.id })
        let conversations = scenario.conversations.filter { botIDs.contains($0.botID) && accounts.contains($0.accountID) }
        let voices = scenario.voices.filter { voice in voice.isSystemVoice || voice.accountID.map(accounts.contains) ?? true }
        let apps = scenario.apps.filter { workspaces.contains($0.workspaceID) }.map { "app:\($0.id)" }
        let workflows = scenario.workflows.filter { workspaces.contains($0.workspaceID) }.map { "workflow:\($0.id)" }
        return Set(workspaces.map { "workspace:\($0)" } + bots.map { "bot:\($0.id)" } + apps + workflows
                   + conversations.map { "conversation:\($0.id)" } + voices.map { "voice:\($0.voiceID)" })
    }

    /// The first 17 digits of a Coze-shaped log id: UTC `yyyyMMddHHmmssSSS`.
    static func time(ofLogID logID: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmssSSS"
        return formatter.date(from: String(logID.prefix(17)))
    }
}

/// The simulator's clock: a `ManualSimulatorClock` that moves `step` seconds after each reading,
/// read `lead` seconds ahead. The simulator reads its clock once per request, so each request
/// happens `step` seconds after the previous one, and `lead` seconds after the client (which reads
/// `manual` directly, without moving time) last looked at the clock: latency plus clock skew.
final class SteppingClock: SimulatorClock, @unchecked Sendable {
    let manual: ManualSimulatorClock
    let step: TimeInterval
    let lead: TimeInterval
    private let lock = NSLock()

    init(_ manual: ManualSimulatorClock, step: TimeInterval, lead: TimeInterval) {
        self.manual = manual
        self.step = step
        self.lead = lead
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        let reading = manual.now()
        manual.advance(by: step)
        return reading.addingTimeInterval(lead)
    }
}

/// Passes everything to a `JWTAppAuth` and notes each distinct token expiry it hands out.
struct ExpiryWatchingAuth: CozeAuth {
    let inner: JWTAppAuth
    private let seen = Collected<Date>()

    init(_ inner: JWTAppAuth) { self.inner = inner }

    var fingerprint: String { inner.fingerprint }

    func accessToken(using http: HTTPClient, baseURL: String) async throws -> String {
        let token = try await inner.accessToken(using: http, baseURL: baseURL)
        if let expiry = await inner.tokenExpiry { seen.append(expiry) }
        return token
    }

    var tokenExpiry: Date? { get async { await inner.tokenExpiry } }

    func invalidateToken() async { await inner.invalidateToken() }

    /// Distinct expiries in order.
    func expiries() -> [Date] { Set(seen.values).sorted() }
}
