import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import GRDB
import Testing

/// While an endpoint has neither answered nor been established as denied, the crawl asks one of
/// its listings at a time, and the next one in another workspace than a 4101 came from
/// (`CrawlSession.admit`): a missing permission point costs one listing in each of two workspaces,
/// whatever the concurrency, and the rest are recorded as not asked.
@Suite("Permission probes")
struct PermissionProbeTests {
    /// Every credential type the fixture can use as a bearer token; enterprise-pat lacks
    /// `listConversation`, enterprise-user `listBot` (three workspaces), ci-pat `listConversation`
    /// in its only workspace (where it cannot be established: every listing is asked).
    static func tenant() -> Scenario {
        Scenario.generate(workspaces: 12, botsPerWorkspace: 4, conversationsPerBot: 3, voices: 4, seed: 14)
            .withEveryCredentialType()
            .denying("GET /v1/conversations", to: "enterprise-pat")
            .denying("GET /v1/bots", to: "enterprise-user")
            .denying("GET /v1/conversations", to: "ci-pat")
    }

    @Test("requests per credential are exactly the model's with the two-workspace rule, at any concurrency", arguments: [1, 3, 8])
    func exactRequests(concurrency: Int) async throws {
        let scenario = Self.tenant()
        let names = scenario.credentials.map(\.name)
        let expected = scenario.minimumAuditRequests(denied: .establishedInTwoWorkspaces)
        let everyParent = scenario.minimumAuditRequests(denied: .everyParent)
        try await RunFixture.with(scenario, credentials: names) { fixture in
            let result = try await fixture.run(concurrency: concurrency)
            #expect(result.status == .complete)
            for name in names {
                #expect(fixture.log(name).count == expected[name], "\(name): \(fixture.log(name).count) requests")
                let notAsked = try fixture.table("""
                    SELECT count(*) FROM listing l JOIN credential c ON c.id = l.credential_id
                    WHERE l.run_id = ? AND c.name = ? AND l.note LIKE 'not asked:%' AND l.status = 'denied'
                    """, [result.runID, name])
                #expect(Int(notAsked.first?[0] ?? "") == (everyParent[name] ?? 0) - (expected[name] ?? 0), "\(name)")
            }
            #expect(fixture.log("enterprise-pat").filter { $0.path == "/v1/conversations" }.count == 2)
            #expect(fixture.log("enterprise-user").filter { $0.path == "/v1/bots" }.count == 2)
        }
    }
}
