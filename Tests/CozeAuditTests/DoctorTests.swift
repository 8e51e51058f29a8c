import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import Testing

/// `coze-audit doctor` (issue 13): a few probes per credential settle what the docs leave open;
/// the table names what the server did, the database keeps it, and the next run uses it.
@Suite("doctor")
struct DoctorTests {
    static func observed(_ report: DoctorReport, _ question: String, by credential: String = "personal-pat") -> String? {
        report.observations.first { $0.question == question && $0.credential == credential }?.observed
    }

    @Test("the default scenario: every question in the table, under 40 read-only GETs per credential, stored with the fingerprint and never the token")
    func defaultScenario() async throws {
        let names = ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat", "enterprise-scoped-pat"]
        try await RunFixture.with(credentials: names) { fixture in
            let report = try await fixture.doctor()
            for name in names {
                let requests = fixture.log(name)
                #expect(requests.count < 40, "\(name): \(requests.count) requests")
                #expect(requests.allSatisfy { $0.method == "GET" })
                #expect(report.credentials.first { $0.name == name }?.requests == requests.count, "the report counts what was sent")
            }
            #expect(Self.observed(report, "bots_page_parameter") == "page_num=2 moves to the next item; page_index=2 moves to the next item")
            #expect(Self.observed(report, "workspaces_page_size_max") == "50 accepted, 51 refused (code 4000 (bad request))")
            #expect(Self.observed(report, "workflows_page_size_max") == "30 accepted, 31 refused (code 4000 (bad request))")
            #expect(Self.observed(report, "voices_page_size_max") == "100 accepted, 101 refused (code 4000 (bad request))")
            #expect(Self.observed(report, "unknown_path") == "HTTP 404 with a Coze envelope, code 4200")
            #expect(Self.observed(report, "voices_has_more") == "present (false)")
            #expect(Self.observed(report, "identity", by: "old-pat-2024") == "code 4100 (token rejected)")
            #expect(Self.observed(report, "denial_messages", by: "enterprise-pat")?.contains("GET /v1/audio/voices") == true)
            #expect(Self.observed(report, "workspaces_enterprise_id", by: "enterprise-pat") == "3 with enterprise_id, 3 without")
            // The bundled tenant has one app per workspace: the apps page parameter stays open, and says so.
            #expect(report.unansweredQuestions == ["apps: page_num or page_index"])
            #expect(report.learnedPageParameters == ["/v1/bots": "page_num"])
            #expect(report.text().contains("not answered by any credential (exit 3): apps: page_num or page_index"))

            let rows = try fixture.table("SELECT credential, credential_fingerprint, question, answered FROM doctor_observation ORDER BY rowid")
            #expect(rows.count == report.observations.count)
            let personal = try #require(report.credentials.first { $0.name == "personal-pat" })
            #expect(rows.contains { $0[0] == "personal-pat" && $0[1] == personal.fingerprint && $0[2] == "bots_page_parameter" && $0[3] == "1" })
            let dump = try fixture.table("SELECT * FROM doctor_observation").flatMap { $0.compactMap { $0 } }.joined(separator: "\n")
            for credential in fixture.scenario.credentials { #expect(!dump.contains(credential.token), "no token in the database") }
            #expect(try fixture.table("SELECT key, value, source FROM learned_behaviour") == [["page_parameter /v1/bots", "page_num", "doctor"]])
        }
    }

    @Test("a tenant where every question can be asked: every one is answered, and the report says so (exit 0)")
    func everyQuestionAnswered() async throws {
        var scenario = try Scenario.bundled()
        // A second app in Research Lab (…04), so the apps page parameter can be asked.
        var app = try #require(scenario.apps.first { $0.workspaceID == "7400000000000000004" })
        app.id = "7450000000000000099"
        scenario.apps.append(app)
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let report = try await fixture.doctor()
            #expect(report.unansweredQuestions == [], "\(report.text())")
            #expect(report.allAnswered)
            #expect(report.learnedPageParameters == ["/v1/bots": "page_num", "/v1/apps": "page_num"])
            #expect(report.text().contains("every question was answered by at least one credential"))
        }
    }

    @Test("bots_page_index_only: doctor sees page_num repeat page 1, learns page_index, and the next run pages /v1/bots by it from the first request")
    func botsByPageIndex() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.botsPageIndexOnly]
        try await RunFixture.with(scenario) { fixture in
            let report = try await fixture.doctor()
            #expect(Self.observed(report, "bots_page_parameter") == "page_num=2 repeats page 1; page_index=2 moves to the next item")
            #expect(report.learnedPageParameters["/v1/bots"] == "page_index")
            let before = fixture.simulator.requestLog().count
            let result = try await fixture.run()
            #expect(result.status == .complete)
            let bots = fixture.simulator.requestLog().dropFirst(before).filter { $0.path == "/v1/bots" }
            #expect(!bots.isEmpty && bots.allSatisfy { $0.query["page_index"] != nil && $0.query["page_num"] == nil },
                    "\(bots.map(\.query))")
        }
    }

    @Test("total_all_joined: a scoped token's total_count counts more than its pages hold, and the table says so")
    func totalAllJoined() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.totalAllJoined]
        try await RunFixture.with(scenario, credentials: ["enterprise-scoped-pat"]) { fixture in
            let report = try await fixture.doctor()
            let words = try #require(Self.observed(report, "workspaces_total", by: "enterprise-scoped-pat"))
            // Every workspace of both accounts its user belongs to (2 personal + 3 enterprise), against the one it may list.
            #expect(words == "total_count 5, the pages hold 1 (it counts more than the token lists)", "\(words)")
        }
    }

    @Test("omit_has_more_false: has_more is absent on the voices' last page")
    func hasMoreOmitted() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.omitHasMoreFalse]
        try await RunFixture.with(scenario, credentials: ["personal-pat"]) { fixture in
            let report = try await fixture.doctor()
            #expect(Self.observed(report, "voices_has_more") == "absent")
        }
    }

    @Test("gateway_404: the unknown path answers a page without a Coze envelope, which counts as the expected failure")
    func gateway404() async throws {
        var scenario = try Scenario.bundled()
        scenario.quirks = [.gateway404]
        try await RunFixture.with(scenario, credentials: ["personal-pat"]) { fixture in
            let report = try await fixture.doctor()
            #expect(Self.observed(report, "unknown_path") == "HTTP 404 with no Coze envelope")
            #expect(report.observations.first { $0.question == "unknown_path" }?.answered == true)
        }
    }

    @Test("a page size limit doctor stored is what the next run asks for; without one, the documented maximum")
    func learnedPageSize() async throws {
        try await RunFixture.with(credentials: ["personal-pat"]) { fixture in
            try await fixture.run()
            #expect(fixture.log("personal-pat").filter { $0.path == "/v1/bots" }.allSatisfy { $0.query["page_size"] == "50" })
            let store = try AuditStore(path: fixture.databasePath)
            let baseURL = fixture.simulator.baseURL
            try await store.write { db in
                try db.execute(sql: """
                    INSERT INTO learned_behaviour (base_url, key, value, source, observed_at) VALUES (?, 'page_size_max /v1/bots', '20', 'doctor', '2025-01-01T00:00:00Z')
                    """, arguments: [baseURL])
            }
            #expect(try LearnedBehaviour.load(store: store, baseURL: fixture.simulator.baseURL).pageSizeLimits == ["/v1/bots": 20])
            let before = fixture.log("personal-pat").count
            try await fixture.run()
            let bots = fixture.log("personal-pat").dropFirst(before).filter { $0.path == "/v1/bots" }
            #expect(!bots.isEmpty && bots.allSatisfy { $0.query["page_size"] == "20" }, "\(bots.map(\.query))")
            let workspaces = fixture.log("personal-pat").dropFirst(before).filter { $0.path == "/v1/workspaces" }
            #expect(workspaces.allSatisfy { $0.query["page_size"] == "50" }, "only the listing doctor limited")
        }
    }
}
