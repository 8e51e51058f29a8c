import CozeAPI
@testable import CozeAuditCLI
import CozeRecording
import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

/// `run --record` and `simulate --replay` (issue 13): a recording holds no secret, id or name of
/// the tenant, and replaying it gives the recorded run's inventory and findings per kind.
@Suite("record and replay", .serialized)
struct RecordReplayTests {
    /// What a run reported: inventory, findings per kind and resource type, credential statuses.
    struct Outcome: Equatable, CustomStringConvertible {
        var inventory: [String: Int]
        var findings: [String: Int]
        var credentials: [String: String]
        var description: String { "inventory \(inventory), findings \(findings), credentials \(credentials)" }

        init(_ report: [String: Any]) {
            inventory = report["inventory"] as? [String: Int] ?? [:]
            var counts: [String: Int] = [:]
            for finding in report["findings"] as? [[String: Any]] ?? [] {
                counts["\(finding["kind"] ?? "?") \(finding["resource_type"] ?? "-") \(finding["severity"] ?? "?")", default: 0] += 1
            }
            findings = counts
            var statuses: [String: String] = [:]
            for credential in report["credentials"] as? [[String: Any]] ?? [] {
                statuses[credential["name"] as? String ?? "?"] = credential["status"] as? String
            }
            credentials = statuses
        }
    }

    /// Serves `recording` in-process, writes the replay's configuration into `folder`, runs the
    /// binary against it and returns what the run reported and what the replay could not answer.
    static func replay(_ recording: String, in folder: String) async throws -> (outcome: Outcome, status: Int32, unmatched: [String]) {
        let (manifest, exchanges) = try Recording.read(recording)
        var credentials = ReplayEngine.credentials(for: manifest, exchanges: exchanges)
        let keys = try ReplayEngine.generateKeys(for: &credentials)
        let engine = ReplayEngine(manifest: manifest, exchanges: exchanges, credentials: credentials)
        let server = CozeSimulator(replay: engine)
        try await server.start()
        do {
            let config = try DemoSetup.writeReplayConfig(credentials, privateKeys: keys, baseURL: server.baseURL, directory: folder)
            let run = try await CLIRunner.run(["run", "--config", config], in: folder)
            let report = try await CLIRunner.run(["report", "--format", "json", "--config", config], in: folder)
            await server.stop()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            return (Outcome(object), run.status, engine.unmatchedRequests())
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test("the default scenario with every credential type: recorded, replayed offline, same inventory, findings per kind and credential statuses")
    func defaultScenario() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            try await fixture.addAppCredentials()
            fixture.simulator.clearRequestLog()  // the device logins above are not part of the run
            let recording = fixture.directory + "/recording"
            let run = try await fixture.cli(["run", "--record", recording])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("recorded "), "\(run.stderr)")
            let recorded = Outcome(try await fixture.reportJSON())
            let (manifest, exchanges) = try Recording.read(recording)
            #expect(manifest.exchanges == exchanges.count && exchanges.count == fixture.simulator.requestLog().count)
            #expect(Set(manifest.credentials.map(\.auth)) == ["pat", "jwt", "oauth"])
            #expect(exchanges.contains { $0.method == "POST" && $0.path.hasSuffix("/token") && $0.status == 200 }, "the token exchange is recorded")

            let replayFolder = try TemporaryDirectory()
            defer { replayFolder.remove() }
            let replayed = try await Self.replay(recording, in: replayFolder.path)
            #expect(replayed.unmatched == [])
            #expect(replayed.status == run.status)
            #expect(replayed.outcome == recorded)
            #expect(!recorded.findings.isEmpty && (recorded.inventory["app"] ?? 0) > 0)
        }
    }

    @Test("an OAuth token refreshed during the recorded run is refreshed in the replay too, from the recorded answer")
    func oauthRefreshReplays() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            try await fixture.addAppCredentials()
            // Every OAuth token file expired: the run refreshes each before its first request.
            for app in fixture.scenario.oauthApps {
                let path = fixture.directory + "/secrets/\(app.name).json"
                let token = try OAuthTokenFile.read(path: path)
                try OAuthTokenFile.write(OAuthToken(accessToken: token.accessToken, expiresAt: Date(timeIntervalSince1970: 1),
                                                    refreshToken: token.refreshToken), to: path)
            }
            fixture.simulator.clearRequestLog()
            let recording = fixture.directory + "/recording"
            let run = try await fixture.cli(["run", "--record", recording])
            #expect(run.status == 0, "\(run.stderr)")
            let recorded = Outcome(try await fixture.reportJSON())
            let (_, exchanges) = try Recording.read(recording)
            let users = Set(fixture.scenario.oauthApps.map(\.name))
            #expect(!users.isEmpty)
            let refreshes = exchanges.filter { $0.method == "POST" && users.contains($0.credential ?? "") }
            #expect(refreshes.count == users.count && refreshes.allSatisfy { $0.status == 200 }, "\(refreshes.map(\.path))")

            let replayFolder = try TemporaryDirectory()
            defer { replayFolder.remove() }
            let replayed = try await Self.replay(recording, in: replayFolder.path)
            #expect(replayed.unmatched == [])
            #expect(replayed.outcome == recorded)
            // The replayed run refreshed too: its token files now hold the replay's refreshed tokens.
            for user in users {
                let token = try OAuthTokenFile.read(path: replayFolder.path + "/secrets/\(user).json")
                // Written expired; refreshed from the recorded answer, whose lifetime is the
                // simulator's (minutes to hours), not the year a token file without a recorded
                // refresh would get.
                #expect(token.expiresAt > Date() && token.expiresAt < Date().addingTimeInterval(30 * 86_400),
                        "\(user) was refreshed: expires \(token.expiresAt)")
            }
        }
    }

    /// A tenant where every listing has more than one page at the largest page size.
    static func pagedTenant() -> Scenario {
        // About half the workspaces and voices are each side's: over 100 gives each side a page 2.
        var scenario = Scenario.generate(workspaces: 110, botsPerWorkspace: 1, conversationsPerBot: 1, voices: 230, seed: 21,
                                         appsPerWorkspace: 1, workflowsPerWorkspace: 2)
        let first = scenario.workspaces[0]
        let bot = scenario.bots[0]
        for serial in 1...55 {
            var extra = bot
            extra.id = "7419" + String(format: "%015d", serial)
            scenario.bots.append(extra)
            var conversation = scenario.conversations[0]
            conversation.id = "7429" + String(format: "%015d", serial)
            conversation.createdAt += Int64(serial)
            scenario.conversations.append(conversation)
            var app = scenario.apps[0]
            app.id = "7459" + String(format: "%015d", serial)
            scenario.apps.append(app)
            var workflow = scenario.workflows[0]
            workflow.id = "7469" + String(format: "%015d", serial)
            scenario.workflows.append(workflow)
        }
        #expect(first.id == bot.workspaceID)
        return scenario
    }

    @Test("a generated tenant with more than one page per listing replays to the same inventory and findings")
    func pagedGeneratedTenant() async throws {
        let scenario = Self.pagedTenant()
        try await withFixture(scenario) { fixture in
            let recording = fixture.directory + "/recording"
            let run = try await fixture.cli(["run", "--record", recording])
            #expect(run.status == 0, "\(run.stderr)")
            let recorded = Outcome(try await fixture.reportJSON())
            let log = fixture.simulator.requestLog()
            for path in ["/v1/workspaces", "/v1/bots", "/v1/conversations", "/v1/apps", "/v1/workflows", "/v1/audio/voices"] {
                #expect(log.contains { $0.path == path && ($0.query["page_num"] ?? $0.query["page_index"]) == "2" && $0.code == 0 },
                        "\(path) has a page 2")
            }
            let replayFolder = try TemporaryDirectory()
            defer { replayFolder.remove() }
            let replayed = try await Self.replay(recording, in: replayFolder.path)
            #expect(replayed.unmatched == [])
            #expect(replayed.outcome == recorded)
            #expect((recorded.inventory["bot"] ?? 0) > 100)
        }
    }

    @Test("a request the recording cannot answer gets HTTP 599 without an envelope naming it: a failed listing, never a finding")
    func unmatchedIsAFailure() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let recording = fixture.directory + "/recording"
            #expect(try await fixture.cli(["run", "--record", recording]).status == 0)
            // Drop every bots listing of enterprise-pat from the recording.
            let file = recording + "/" + Recording.exchangesFile
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
                .filter { !($0.contains("\"credential\":\"enterprise-pat\"") && $0.contains("\"path\":\"/v1/bots\"")) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let replayFolder = try TemporaryDirectory()
            defer { replayFolder.remove() }
            let replayed = try await Self.replay(recording, in: replayFolder.path)
            #expect(replayed.status == 3, "a run missing answers is partial: exit 3")
            #expect(replayed.unmatched.contains { $0.hasPrefix("enterprise-pat GET /v1/bots?") }, "\(replayed.unmatched)")
            #expect(replayed.outcome.findings.keys.allSatisfy { !$0.hasPrefix("not_visible_to_enterprise bot") },
                    "an unanswered listing proves nothing: \(replayed.outcome.findings)")
        }
    }

    @Test("the committed recording of the migrated-account scenario replays to its hand-written findings and inventory")
    func committedFixture() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let replayed = try await Self.replay(Self.fixtureRecording.path, in: folder.path)
        #expect(replayed.unmatched == [])
        #expect(replayed.status == 0)
        let data = try Data(contentsOf: AuditFixture.expectedFile("migrated-account.findings.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let want = Outcome(expected)
        #expect(replayed.outcome.inventory == want.inventory)
        #expect(replayed.outcome.findings == want.findings, "replayed \(replayed.outcome.findings), hand-written \(want.findings)")
    }

    /// Recorded with `scripts/record-fixture` from the bundled scenario and the four credentials of
    /// migrated-account.findings.json (README, "Recordings").
    static let fixtureRecording = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/recording-migrated-account")
}
