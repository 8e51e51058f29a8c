import CozeSimulator
import Foundation
import Testing

/// One end-to-end run of the built binary per simulator switch (docs/evidence.md §8), against the
/// expectations written by hand in `Expected/switches.json` before the code obeyed them: the
/// paging and message switches must give the scenario's ground-truth findings, the evidence
/// switches a run that advises nothing it cannot prove. Together they are the matrix
/// {switch} × {exit code, run status, findings}.
@Suite("evidence switches end to end", .serialized)
struct EvidenceSwitchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var object: [String: SendableJSON]
        var testDescription: String { name }
    }

    static let expectations: (core: [String], cases: [Case]) = {
        guard let data = try? Data(contentsOf: AuditFixture.expectedFile("switches.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let core = root["core_credentials"] as? [String], let cases = root["cases"] as? [[String: Any]]
        else { return ([], []) }
        return (core, cases.map { Case(name: $0["name"] as? String ?? "?", object: $0.mapValues { SendableJSON($0) }) })
    }()

    /// JSON values are immutable here; the wrapper only lets them cross into the test's arguments.
    struct SendableJSON: @unchecked Sendable { let value: Any; init(_ value: Any) { self.value = value } }

    static func scenario(_ name: String) throws -> Scenario {
        name == "big-team" ? try Scenario.load(path: AuditFixture.expectedFile("big-team.scenario.json").path) : try Scenario.bundled()
    }

    @Test("the expectation file lists every switch of the simulator")
    func everySwitchCovered() {
        let named = Set(Self.expectations.cases.flatMap { ($0.object["quirks"]?.value as? [String]) ?? [] })
        #expect(named == Set(Scenario.Quirk.allCases.map(\.rawValue)))
        #expect(Self.expectations.cases.count >= 11)
    }

    @Test("exit code, run status and findings as written by hand", arguments: expectations.cases)
    func switchCase(_ testCase: Case) async throws {
        func field<T>(_ key: String) -> T? { testCase.object[key]?.value as? T }
        var scenario = try Self.scenario(try #require(field("scenario") as String?))
        let quirks = try (field("quirks") as [String]? ?? []).map { try #require(Scenario.Quirk(rawValue: $0), "\($0)") }
        scenario.quirks = quirks
        let credentials: [String] = field("credentials") ?? (scenario.name == "migrated-account" ? Self.expectations.core : nil) ?? scenario.credentials.map(\.name)
        try await withFixture(scenario, credentials: credentials) { fixture in
            let path: String = field("base_url_path") ?? ""
            try fixture.writeConfig(baseURL: fixture.baseURL + path, jwtAppNames: (field("jwt_apps") as [String]?).map(Set.init))
            // Keep the retried failures (502 pages) short: this is about what is advised, not retries.
            try fixture.appendYAML("retries: { attempts: 2, base_delay_ms: 10 }\n")
            let run = try await fixture.cli(["run"])
            #expect(run.status == Int32(field("exit") as Int? ?? -1), "stdout: \(run.stdout)\nstderr: \(run.stderr)")
            let report = try await fixture.reportJSON()
            let runInfo = try #require(report["run"] as? [String: Any])
            #expect(runInfo["status"] as? String == field("status"))
            for fragment in field("reason_contains") as [String]? ?? [] {
                #expect((runInfo["reason"] as? String)?.contains(fragment) == true, "reason: \(runInfo["reason"] ?? "none")")
            }
            let findings = try #require(report["findings"] as? [[String: Any]])
            if let file: String = field("findings_file") {
                let expected = try EndToEndTests().expectation(file)
                expectFindings(findings, expected.findings, file)
                #expect(report["inventory"] as? [String: Int] == expected.inventory)
            }
            if let expected: [[String: Any]] = field("findings") {
                expectFindings(findings, expected, "findings")
            }
            if let inventory: [String: Int] = field("inventory") {
                #expect(report["inventory"] as? [String: Int] == inventory)
            }
            if let byKind: [String: [[String: Any]]] = field("findings_of_kind") {
                for (kind, expected) in byKind {
                    let actual = findings.filter { $0["kind"] as? String == kind }
                    expectFindings(actual, expected, "findings_of_kind \(kind)")
                    // The one remedy that is not a fixed text per kind: it names both token paths
                    // instead of blaming the admin's authorization (docs/evidence.md §7).
                    for finding in actual where finding["reason"] as? String == "other_path_works" {
                        let remedy = finding["remedy"] as? String ?? ""
                        let refused = try #require(finding["endpoint"] as? String), served = try #require(finding["served_by"] as? String)
                        #expect(remedy.contains(refused) && remedy.contains(served) && remedy.contains("account_id"), "\(remedy)")
                        #expect(!remedy.contains("重新授权"), "\(remedy)")
                    }
                }
            }
        }
    }

    @Test("bots paged by page_index: the parameter is learned per base URL and the next run starts with it")
    func learnedParameter() async throws {
        var scenario = try Self.scenario("big-team")
        scenario.quirks = [.botsPageIndexOnly]
        try await withFixture(scenario) { fixture in
            #expect(try await fixture.cli(["run"]).status == 0)
            let firstRun = fixture.simulator.requestLog().filter { $0.path == "/v1/bots" }
            #expect(firstRun.contains { $0.query["page_num"] == "2" } && firstRun.contains { $0.query["page_index"] == "2" })
            // One page parameter per request, never both.
            #expect(firstRun.allSatisfy { ($0.query["page_num"] == nil) != ($0.query["page_index"] == nil) })
            let learned = try await fixture.cli(["query", "--sql", "SELECT key, value FROM learned_behaviour", "--format", "csv"])
            #expect(learned.stdout.contains("page_parameter /v1/bots,page_index"), "\(learned.stdout)")
            fixture.simulator.clearRequestLog()
            #expect(try await fixture.cli(["run"]).status == 0)
            let secondRun = fixture.simulator.requestLog().filter { $0.path == "/v1/bots" }
            #expect(!secondRun.isEmpty && secondRun.allSatisfy { $0.query["page_index"] != nil && $0.query["page_num"] == nil })
        }
    }

    @Test("total_count over all joined workspaces: a note in the JSON report, not a failure")
    func totalNote() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.totalAllJoined]
        try await withFixture(scenario, credentials: ["personal-pat", "team-pat-2024", "enterprise-pat"]) { fixture in
            #expect(try await fixture.cli(["run"]).status == 0)
            let notes = try #require(try await fixture.reportJSON()["listing_notes"] as? [[String: Any]])
            let team = notes.filter { $0["credential"] as? String == "team-pat-2024" }
            #expect(team.map { $0["endpoint"] as? String } == ["GET /v1/workspaces"])
            #expect((team.first?["note"] as? String)?.hasPrefix("total ") == true)
            let html = try await fixture.cli(["report", "--format", "html"])
            #expect(html.stdout.contains("the listing ended after"))
        }
    }

    @Test("check against a base_url that does not answer like Coze names it and exits 3")
    func checkGateway() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.gateway404]
        try await withFixture(scenario, credentials: ["personal-pat"]) { fixture in
            try fixture.writeConfig(baseURL: fixture.baseURL + "/gateway")
            let check = try await fixture.cli(["check"])
            #expect(check.status == 3)
            #expect(check.stdout.contains("does not answer like the Coze API (GET /v1/users/me: HTTP 404 without a Coze envelope); expected e.g. https://api.coze.cn"), "\(check.stdout)")
        }
    }

    @Test("a base_url ending in an API segment is refused at config load with a hint", arguments: ["/v1", "/v3/", "/api"])
    func apiSegmentRefused(_ suffix: String) async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            try fixture.writeConfig(baseURL: fixture.baseURL + suffix)
            let run = try await fixture.cli(["run"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("base_url") && run.stderr.contains("e.g. https://api.coze.cn"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
        }
    }

    @Test("a JWT app refused on both documented token paths is denied, and the message names both")
    func bothPathsRefused() async throws {
        try await withFixture(try Scenario.bundled(), credentials: ["personal-pat"]) { fixture in
            try fixture.writeConfig(baseURL: fixture.baseURL, jwtAppNames: ["legacy-enterprise-app"])
            #expect(try await fixture.cli(["run"]).status == 0)
            let findings = try await fixture.findings().filter { $0["kind"] as? String == "app_not_authorized" }
            #expect(findings.map { $0["reason"] as? String } == ["denied"])
            let detail = try await fixture.cli(["query", "--sql", "SELECT message FROM listing WHERE endpoint LIKE 'POST %'", "--format", "csv"])
            #expect(detail.stdout.contains("also tried POST /api/permission/oauth2/account/volcano_2105850123/token"), "\(detail.stdout)")
        }
    }

    @Test("a gateway page on the token endpoint is no answer: no app_not_authorized")
    func tokenEndpointGatewayPage() async throws {
        var scenario = try Scenario.bundled()
        scenario.faults = [Scenario.Fault(endpoint: "POST /api/permission/oauth2/enterprise_id/volcano_2105850123/token",
                                          kind: .httpStatus, status: 403)]
        try await withFixture(scenario, credentials: ["personal-pat"]) { fixture in
            try fixture.writeConfig(baseURL: fixture.baseURL, jwtAppNames: ["legacy-enterprise-app"])
            let run = try await fixture.cli(["run"])
            #expect(run.status == 3, "the app's identity step was not answered: partial")
            #expect(try await fixture.findings().filter { $0["kind"] as? String == "app_not_authorized" }.isEmpty)
        }
    }
}
