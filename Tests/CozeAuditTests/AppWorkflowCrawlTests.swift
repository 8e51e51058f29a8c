import CozeAPI
@testable import CozeAudit
import CozeSimulator
import Foundation
import Testing

/// Apps and workflows in the crawl (issue 18): listed per workspace with every publish status and
/// both workflow modes, paged to the end, and held to the evidence rules of bots.
@Suite("Apps and workflows in the crawl")
struct AppWorkflowCrawlTests {
    static let researchLab = "7400000000000000004"

    @Test("an enterprise credential that lacks listWorkflow: a permission gap, and no workflow is called not visible (apps still are)")
    func enterpriseLacksListWorkflow() async throws {
        let scenario = try Scenario.bundled().denying("GET /v1/workflows", to: "enterprise-pat")
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let result = try await fixture.run()
            #expect(result.status == .complete)
            let findings = try fixture.findings(run: result.runID)
            #expect(findings.contains { $0.hasPrefix("enterprise_permission_gap:") && $0.contains("GET /v1/workflows") }, "\(findings)")
            #expect(!findings.contains { $0.contains("workflow:") && $0.hasPrefix("not_visible_to_enterprise") }, "\(findings)")
            // The same run without the denial does report them: the denial, not the data, hides them.
            #expect(findings.contains { $0.hasPrefix("not_visible_to_enterprise") && $0.contains("app:7450000000000000001") }, "\(findings)")
        }
        try await RunFixture.with(try Scenario.bundled(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let runID = try await fixture.run().runID
            let findings = try fixture.findings(run: runID)
            #expect(findings.contains { $0.hasPrefix("not_visible_to_enterprise") && $0.contains("workflow:7460000000000000001") }, "\(findings)")
            // The store's findings intent returns exactly the stored rows, typed.
            let store = try AuditStore(path: fixture.databasePath)
            let typed = try store.findings(run: runID)
            #expect(typed.map(\.key).sorted() == findings)
            #expect(try store.findings().map(\.key) == typed.map(\.key), "nil: the latest run")
            #expect(typed.contains { $0.kind == "not_visible_to_enterprise" && $0.resourceType == "workflow" && $0.new })
            #expect(!findings.contains { $0.hasPrefix("enterprise_permission_gap:") && $0.contains("GET /v1/workflows") })
        }
    }

    @Test("more than one page of apps and of workflows of each mode: every item stored, requests equal the minimum")
    func paging() async throws {
        var scenario = try Scenario.bundled()
        scenario.apps += (1...120).map {
            Scenario.App(id: String(7_451_000_000_000_000_000 + $0), workspaceID: Self.researchLab, name: "A\($0)",
                         publishStatus: $0 % 3 == 0 ? "unpublished_draft" : "published_online", ownerUserID: "2105850000001",
                         updatedAt: 1_718_300_000)
        }
        scenario.workflows += (1...65).map {
            Scenario.Workflow(id: String(7_461_000_000_000_000_000 + $0), workspaceID: Self.researchLab, name: "W\($0)",
                              mode: $0 % 2 == 0 ? "chatflow" : "workflow", publishStatus: $0 % 5 == 0 ? "unpublished_draft" : "published_online",
                              creatorID: "2105850000001", createdAt: 1_718_400_000)
        }
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let result = try await fixture.run()
            #expect(result.status == .complete)
            let stored = try fixture.table("""
                SELECT s.kind, count(*) FROM sighting s JOIN credential c ON c.id = s.credential_id
                WHERE s.run_id = ? AND c.name = 'personal-pat' AND s.kind IN ('app', 'workflow') AND s.parent_id = ?
                GROUP BY s.kind ORDER BY s.kind
                """, [result.runID, Self.researchLab])
            #expect(stored == [["app", "121"], ["workflow", "67"]])
            let log = fixture.log("personal-pat")
            #expect(log.count == scenario.minimumAuditRequests()["personal-pat"])
            // 121 apps at 50 a page: 3 pages; 34 workflows and 33 chatflows at 30 a page: 2 pages each.
            let labApps = log.filter { $0.path == "/v1/apps" && $0.query["workspace_id"] == Self.researchLab }
            #expect(labApps.count == 3)
            for mode in ["workflow", "chatflow"] {
                let pages = log.filter { $0.path == "/v1/workflows" && $0.query["workspace_id"] == Self.researchLab && $0.query["workflow_mode"] == mode }
                #expect(pages.compactMap { $0.query["page_num"] } == ["1", "2"], "\(mode)")
            }
        }
    }

    @Test("apps served only by page_index (apps_page_index_only): page 2 repeats page 1 under page_num, the crawl switches, learns it, and stores every app")
    func appsPagedByPageIndexOnly() async throws {
        var scenario = try Scenario.bundled()
        scenario.apps += (1...120).map {
            Scenario.App(id: String(7_451_000_000_000_000_000 + $0), workspaceID: Self.researchLab, name: "A\($0)",
                         ownerUserID: "2105850000001", updatedAt: 1_718_300_000)
        }
        scenario.quirks = [.appsPageIndexOnly]
        try await RunFixture.with(scenario, credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let result = try await fixture.run(concurrency: 1)
            #expect(result.status == .complete)
            #expect(try fixture.table("""
                SELECT count(*) FROM sighting s JOIN credential c ON c.id = s.credential_id
                WHERE s.run_id = ? AND c.name = 'personal-pat' AND s.kind = 'app' AND s.parent_id = ?
                """, [result.runID, Self.researchLab]) == [["121"]])
            let labApps = fixture.log("personal-pat").filter { $0.path == "/v1/apps" && $0.query["workspace_id"] == Self.researchLab }
            // Page 1, page 2 by page_num (page 1 again), page 2 and 3 by page_index.
            #expect(labApps.map { $0.query["page_num"].map { "num \($0)" } ?? "index \($0.query["page_index"] ?? "?")" }
                    == ["num 1", "num 2", "index 2", "index 3"])
            #expect(try fixture.table("SELECT value FROM learned_behaviour WHERE key = 'page_parameter /v1/apps'") == [["page_index"]])
        }
    }
}
