import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// Every finding kind that advises something stays silent when the evidence it needs is only a
/// failure (a page without envelope, a dropped connection, a timeout) or a denial (docs/evidence.md
/// §5). Each case first shows the finding with the evidence present (the positive control), then
/// replaces that evidence with the failure or denial and shows the finding gone.
@Suite("Evidence rules: no advice without an answer")
struct EvidenceRuleTests {
    static let core = ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var credentials: [String] = EvidenceRuleTests.core
        /// A finding key present without the faults.
        var key: String
        var faults: [Scenario.Fault]
        /// A per-request deadline, for the timeout cases.
        var requestTimeout: Duration?
        var testDescription: String { name }
    }

    /// A gateway page without envelope (the simulator's `http_status` fault sends HTML).
    static func page(_ status: Int, _ endpoint: String, _ credential: String) -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, credential: credential, kind: .httpStatus, status: status)
    }

    static func denied(_ endpoint: String, _ credential: String, message: String = "no permission") -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, credential: credential, kind: .apiError, code: 4101, message: message)
    }

    static func dropped(_ endpoint: String, _ credential: String) -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, credential: credential, kind: .closeMidBody)
    }

    static func slow(_ endpoint: String, _ credential: String) -> Scenario.Fault {
        Scenario.Fault(endpoint: endpoint, credential: credential, kind: .slow, delayMS: 2500)
    }

    static let cases: [Case] = [
        // stale_pat invalid: needs users/me to reject the token with an answer.
        Case(name: "stale_pat invalid: users/me connection dropped", key: "stale_pat:old-pat-2024",
             faults: [dropped("GET /v1/users/me", "old-pat-2024")]),
        // stale_pat superseded: needs users/me code 0, a listing with code 0, no failed listing.
        Case(name: "stale_pat superseded: users/me a gateway 404 page", key: "stale_pat:team-pat-2024",
             faults: [page(404, "GET /v1/users/me", "team-pat-2024")]),
        Case(name: "stale_pat superseded: users/me a gateway 401 page", key: "stale_pat:team-pat-2024",
             faults: [page(401, "GET /v1/users/me", "team-pat-2024")]),
        Case(name: "stale_pat superseded: users/me denied (4101, not code 0)", key: "stale_pat:team-pat-2024",
             faults: [denied("GET /v1/users/me", "team-pat-2024", message: "The token you entered is incorrect.")]),
        Case(name: "stale_pat superseded: its only successful listing a gateway 502 page", key: "stale_pat:team-pat-2024",
             faults: [page(502, "GET /v1/workspaces", "team-pat-2024")]),
        Case(name: "stale_pat superseded: its only successful listing times out", key: "stale_pat:team-pat-2024",
             faults: [slow("GET /v1/workspaces", "team-pat-2024")], requestTimeout: .seconds(1)),
        // pat_still_required: needs the PAT's identity step answered.
        Case(name: "pat_still_required: users/me a gateway 404 page", key: "pat_still_required:personal-pat",
             faults: [page(404, "GET /v1/users/me", "personal-pat")]),
        // needs_personal_grant: needs an enterprise listing of the kind that answered.
        Case(name: "needs_personal_grant: the enterprise conversations listings denied",
             key: "needs_personal_grant:conversation:7420000000000000003",
             faults: [denied("GET /v1/conversations", "enterprise-pat")]),
        Case(name: "needs_personal_grant: the enterprise conversations listings a gateway 502 page",
             key: "needs_personal_grant:conversation:7420000000000000003",
             faults: [page(502, "GET /v1/conversations", "enterprise-pat")]),
        Case(name: "needs_personal_grant: the enterprise conversations listings dropped",
             key: "needs_personal_grant:conversation:7420000000000000003",
             faults: [dropped("GET /v1/conversations", "enterprise-pat")]),
        Case(name: "needs_personal_grant: a voice, the only answering enterprise voice listing denied",
             credentials: core + ["enterprise-scoped-pat"], key: "needs_personal_grant:voice:7430000000000000001",
             faults: [denied("GET /v1/audio/voices", "enterprise-scoped-pat")]),
        // not_visible_to_enterprise: needs an enterprise workspace listing that answered.
        Case(name: "not_visible_to_enterprise: the enterprise workspace listing denied",
             key: "not_visible_to_enterprise:workspace:7400000000000000004",
             faults: [denied("GET /v1/workspaces", "enterprise-pat")]),
        Case(name: "not_visible_to_enterprise: the enterprise workspace listing a gateway 404 page",
             key: "not_visible_to_enterprise:bot:7410000000000000006",
             faults: [page(404, "GET /v1/workspaces", "enterprise-pat")]),
        Case(name: "not_visible_to_enterprise: the enterprise users/me times out",
             key: "not_visible_to_enterprise:workspace:7400000000000000001",
             faults: [slow("GET /v1/users/me", "enterprise-pat")], requestTimeout: .seconds(1)),
        // enterprise_permission_gap: needs a 4101 answer, endpoint-wide.
        Case(name: "enterprise_permission_gap: the voices 4101 replaced by a bare gateway 403",
             key: "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices",
             faults: [page(403, "GET /v1/audio/voices", "enterprise-pat")]),
        // workspace_scope_gap: needs the credential's workspace listing answered.
        Case(name: "workspace_scope_gap: the scoped credential's workspace listing denied",
             credentials: ["personal-pat", "enterprise-pat", "enterprise-scoped-pat"],
             key: "workspace_scope_gap:enterprise-scoped-pat:7400000000000000002",
             faults: [denied("GET /v1/workspaces", "enterprise-scoped-pat")]),
        Case(name: "workspace_scope_gap: the scoped credential's workspace listing a gateway 502 page",
             credentials: ["personal-pat", "enterprise-pat", "enterprise-scoped-pat"],
             key: "workspace_scope_gap:enterprise-scoped-pat:7400000000000000002",
             faults: [page(502, "GET /v1/workspaces", "enterprise-scoped-pat")]),
    ]

    @Test("present with its evidence, silent when the evidence is a failure or a denial", arguments: cases)
    func silentWithoutEvidence(_ testCase: Case) async throws {
        // The short deadline of the timeout cases applies to the faulty run only: the control must not
        // depend on how fast a loaded machine answers.
        let limits = ClientLimits(requestTimeout: testCase.requestTimeout)
        try await RunFixture.with(credentials: testCase.credentials) { fixture in
            let control = try await fixture.run()
            #expect(try fixture.findings(run: control.runID).contains(testCase.key), "positive control")
            for fault in testCase.faults { fixture.simulator.inject(fault) }
            let faulty = try await fixture.run(limits: limits)
            let findings = try fixture.findings(run: faulty.runID)
            #expect(!findings.contains(testCase.key), "\(findings)")
            // The fault did reach the run: the request log shows the faulted endpoint for that credential.
            for fault in testCase.faults {
                #expect(fixture.log(fault.credential ?? "").contains { $0.endpoint == fault.endpoint })
            }
        }
    }

    @Test("a 4101 for one workspace's bots is not a permission gap; for bots of three workspaces it is")
    func gapNeedsTwoWorkspaces() async throws {
        // enterprise-scoped-pat lists one workspace (Customer service), enterprise-pat three.
        try await RunFixture.with(credentials: ["personal-pat", "enterprise-pat", "enterprise-scoped-pat"]) { fixture in
            fixture.simulator.inject(Self.denied("GET /v1/bots", "enterprise-scoped-pat"))
            fixture.simulator.inject(Self.denied("GET /v1/bots", "enterprise-pat"))
            let result = try await fixture.run()
            #expect(result.status == .complete)
            let gaps = try fixture.findings(run: result.runID).filter { $0.hasPrefix("enterprise_permission_gap:") && $0.hasSuffix("GET /v1/bots") }
            #expect(gaps == ["enterprise_permission_gap:enterprise-pat:GET /v1/bots"])
            // Both credentials were denied; only the endpoint-wide denial is a gap.
            #expect(try fixture.table("""
                SELECT c.name, count(DISTINCT l.parent_id) FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND l.endpoint = 'GET /v1/bots' AND l.status = 'denied' GROUP BY c.name ORDER BY c.name
                """, [result.runID]) == [["enterprise-pat", "3"], ["enterprise-scoped-pat", "1"]])
        }
    }

    @Test("a failed run advises nothing but what the configuration itself says")
    func failedRunAdvisesNothing() async throws {
        try await RunFixture.with(credentials: Self.core) { fixture in
            for name in Self.core { fixture.simulator.inject(Self.page(404, "*", name)) }
            // old-pat-2024 is rejected before faults apply: drop its connection instead.
            fixture.simulator.inject(Self.dropped("GET /v1/users/me", "old-pat-2024"))
            let result = try await fixture.run()
            #expect(result.status == .failed)
            #expect(result.reason?.hasPrefix("nothing could be observed at \(fixture.simulator.baseURL)") == true, "\(result.reason ?? "")")
            #expect(result.reason?.contains("HTTP 404 without a Coze envelope (3 credentials)") == true, "\(result.reason ?? "")")
            #expect(try fixture.findings(run: result.runID) == ["pat_in_production:enterprise-pat"])
            #expect(try fixture.table("SELECT DISTINCT status FROM run_credential WHERE run_id = ?", [result.runID]) == [["error"]])
        }
    }

    @Test("every credential answered was rejected: the run failed and names the site; no PAT is called stale")
    func everyCredentialRejected() async throws {
        var scenario = try Scenario.bundled()
        for index in scenario.credentials.indices { scenario.credentials[index].status = "revoked" }
        try await RunFixture.with(scenario, credentials: Self.core) { fixture in
            let result = try await fixture.run()
            #expect(result.status == .failed)
            #expect(result.reason?.contains("api.coze.cn and api.coze.com tokens are not interchangeable") == true)
            #expect(result.reason?.contains("code 4100 (4 credentials)") == true, "\(result.reason ?? "")")
            #expect(try fixture.findings(run: result.runID) == ["pat_in_production:enterprise-pat"])
        }
    }

    @Test("one credential rejected among answering ones is an observation: the run is complete and the PAT stale")
    func oneRejected() async throws {
        try await RunFixture.with(credentials: Self.core) { fixture in
            let result = try await fixture.run()
            #expect(result.status == .complete)
            #expect(try fixture.findings(run: result.runID).contains("stale_pat:old-pat-2024"))
        }
    }

    @Test("a stranded conversation needs an undenied answer for its bot now")
    func strandedNeedsAnswer() async throws {
        var scenario = try Scenario.bundled()
        let sales = "7400000000000000002"
        let index = try #require(scenario.workspaces.firstIndex { $0.id == sales })
        let enterprise = scenario.workspaces[index].accountID
        scenario.workspaces[index].accountID = try #require(scenario.workspaces[index].migratedFrom)
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let before = try await fixture.run()
            #expect(before.status == .complete)
            fixture.simulator.update { scenario in
                if let i = scenario.workspaces.firstIndex(where: { $0.id == sales }) { scenario.workspaces[i].accountID = enterprise }
            }
            let after = try await fixture.run()
            let key = "stranded:conversation:7420000000000000004"
            #expect(try fixture.findings(run: after.runID).contains(key), "positive control")
            fixture.simulator.inject(Self.denied("GET /v1/conversations", "enterprise-pat"))
            let denied = try await fixture.run()
            #expect(!(try fixture.findings(run: denied.runID).contains(key)))
        }
    }
}
