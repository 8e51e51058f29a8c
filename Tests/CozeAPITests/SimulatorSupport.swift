import AsyncHTTPClient
import CozeAPI
import CozeSimulator
import CozeTestSupport
import Foundation
import Synchronization

/// A clock tests move by hand, for token expiry decisions.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { [self] in self.now } }
}

/// An in-process simulator on port 0, stopped on every path; clients share `HTTPClient.shared`.
struct SimulatorFixture: Sendable {
    let simulator: CozeSimulator
    var baseURL: String { simulator.baseURL }

    static func with(
        _ scenario: Scenario? = nil, clock: any SimulatorClock = SystemSimulatorClock(),
        _ body: @Sendable (SimulatorFixture) async throws -> Void
    ) async throws {
        try await withSimulator(try scenario ?? Scenario.bundled(), clock: clock) { try await body(SimulatorFixture(simulator: $0)) }
    }

    /// A client whose retries never really wait (and use jitter factor 0.5 + 0.5 * 0).
    func client(
        token: String, sleeper: RecordingSleeper = RecordingSleeper(), maxAttempts: Int = 4,
        configure: (inout CozeClientOptions) -> Void = { _ in }
    ) -> CozeClient {
        client(auth: PATAuth(token: token), sleeper: sleeper, maxAttempts: maxAttempts, configure: configure)
    }

    func client(
        auth: any CozeAuth, sleeper: RecordingSleeper = RecordingSleeper(), maxAttempts: Int = 4,
        configure: (inout CozeClientOptions) -> Void = { _ in }
    ) -> CozeClient {
        var options = CozeClientOptions(retry: CozeRetryPolicy(maxAttempts: maxAttempts, sleeper: sleeper, random: { 0 }))
        configure(&options)
        return CozeClient(baseURL: baseURL, auth: auth, httpClient: .shared, options: options)
    }

    /// Requests the simulator answered for `path`, in order.
    func log(_ path: String) -> [SimulatedRequest] {
        simulator.requestLog().filter { $0.path == path }
    }
}

/// A small personal tenant with enough items to span several pages at small page sizes.
enum PagingScenario {
    static let token = "pat_paging_personal"
    static let account = "2200000000000000001"

    static func make() -> Scenario {
        let workspaces = (1...5).map { index in
            Scenario.Workspace(
                id: "76\(index)0000000000000000", name: "W\(index)", workspaceType: index == 1 ? "personal" : "team",
                accountID: account, ownerUID: account)
        }
        let states = ["published_online", "published_draft", "unpublished_draft"]
        let bots = (1...7).map { index in
            Scenario.Bot(
                id: "77\(index)0000000000000000", workspaceID: workspaces[0].id, name: "B\(index)",
                publishStatus: states[index % 3], connectorIDs: index % 3 == 2 ? [] : ["1024"], ownerUserID: account,
                updatedAt: 1_718_000_000 + Int64(index))
        }
        let conversations = (1...5).map { index in
            Scenario.Conversation(
                id: "78\(index)0000000000000000", botID: bots[0].id, accountID: account, connectorID: index <= 3 ? "1024" : "999",
                name: "C\(index)", createdAt: 1_719_000_000 + Int64(index))
        }
        let voices = (1...3).map { index in
            Scenario.Voice(
                voiceID: "79\(index)0000000000000000", name: "V\(index)", accountID: account, state: index == 3 ? "init" : "cloned",
                createTime: 1_717_000_000)
        } + [Scenario.Voice(voiceID: "7426720361733046281", name: "System", accountID: nil, createTime: 1_700_000_000)]
        return Scenario(
            name: "paging", accounts: [Scenario.Account(id: account, type: "personal", name: "Pager")],
            workspaces: workspaces, bots: bots, conversations: conversations, voices: voices,
            credentials: [Scenario.Credential(name: "pager", token: token, accountID: account)])
    }
}
