import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

/// `GET /v1/apps` and `GET /v1/workflows` on the bundled scenario: the visibility of bots (a
/// workspace the token cannot list answers 4101; migrated workspaces' apps and workflows belong to
/// the enterprise), every publish status, workflow modes, apps' workflows, documented paging.
@Suite("Apps and workflows")
struct AppWorkflowTests {
    static let personalSpace = "7400000000000000001", salesTeam = "7400000000000000002", researchLab = "7400000000000000004"

    @Test("apps: published_online on the API channel by default, every app with publish_status=all")
    func appsByStatus() async throws {
        try await SimulatorHarness.with { sim in
            let lab = try await sim.get("/v1/apps?workspace_id=\(Self.researchLab)", token: SimulatorTokens.personal)
            #expect(lab.code == 0 && lab.ids("items") == ["7450000000000000001"])
            #expect((lab.data?["total"] as? Int) == 1)
            let draftsHidden = try await sim.get("/v1/apps?workspace_id=\(Self.personalSpace)", token: SimulatorTokens.personal)
            #expect(draftsHidden.code == 0 && draftsHidden.ids("items").isEmpty)
            let all = try await sim.get("/v1/apps?workspace_id=\(Self.personalSpace)&publish_status=all", token: SimulatorTokens.personal)
            #expect(all.ids("items") == ["7450000000000000003"])
            let item = try #require((all.data?["items"] as? [[String: Any]])?.first)
            #expect(item["is_published"] as? Bool == false && item["published_at"] == nil && item["owner_user_id"] as? String == "2105850000001")
        }
    }

    @Test("a migrated workspace's apps and workflows: 4101 for the personal PAT, listed for the enterprise PAT")
    func migratedWorkspace() async throws {
        try await SimulatorHarness.with { sim in
            for path in ["/v1/apps?workspace_id=\(Self.salesTeam)&publish_status=all",
                         "/v1/workflows?workspace_id=\(Self.salesTeam)&page_num=1&publish_status=all"] {
                let personal = try await sim.get(path, token: SimulatorTokens.personal)
                #expect(personal.code == 4101, "\(path)")
            }
            let apps = try await sim.get("/v1/apps?workspace_id=\(Self.salesTeam)&publish_status=all", token: SimulatorTokens.enterprise)
            #expect(apps.ids("items") == ["7450000000000000002"])
            let flows = try await sim.get("/v1/workflows?workspace_id=\(Self.salesTeam)&page_num=1&publish_status=all",
                                          token: SimulatorTokens.enterprise)
            #expect(flows.ids("items", field: "workflow_id") == ["7460000000000000003"])
        }
    }

    @Test("workflows: modes, an app's workflows (app_id, \"0\" for none), publish status, has_more paging by page_num")
    func workflows() async throws {
        try await SimulatorHarness.with { sim in
            let base = "/v1/workflows?workspace_id=\(Self.researchLab)&publish_status=all"
            let both = try await sim.get(base + "&page_num=1", token: SimulatorTokens.personal)
            #expect(both.ids("items", field: "workflow_id") == ["7460000000000000001", "7460000000000000002"])
            #expect(both.data?["has_more"] as? Bool == false)
            let items = try #require(both.data?["items"] as? [[String: Any]])
            #expect(items.map { $0["app_id"] as? String } == ["0", "7450000000000000001"])
            #expect(items.allSatisfy { $0["created_at"] is String } && items.count == 2)
            let ofApp = try await sim.get(base + "&page_num=1&app_id=7450000000000000001", token: SimulatorTokens.personal)
            #expect(ofApp.ids("items", field: "workflow_id") == ["7460000000000000002"])
            let first = try await sim.get(base + "&page_num=1&page_size=1", token: SimulatorTokens.personal)
            #expect(first.ids("items", field: "workflow_id") == ["7460000000000000001"] && first.data?["has_more"] as? Bool == true)
            let second = try await sim.get(base + "&page_num=2&page_size=1", token: SimulatorTokens.personal)
            #expect(second.ids("items", field: "workflow_id") == ["7460000000000000002"] && second.data?["has_more"] as? Bool == false)
            let chatflows = try await sim.get("/v1/workflows?workspace_id=\(Self.salesTeam)&page_num=1&workflow_mode=chatflow",
                                              token: SimulatorTokens.enterprise)
            #expect(chatflows.ids("items", field: "workflow_id") == ["7460000000000000003"])
            let plain = try await sim.get("/v1/workflows?workspace_id=\(Self.salesTeam)&page_num=1&workflow_mode=workflow",
                                          token: SimulatorTokens.enterprise)
            #expect(plain.code == 0 && plain.ids("items", field: "workflow_id").isEmpty)
            let published = try await sim.get("/v1/workflows?workspace_id=\(Self.personalSpace)&page_num=1", token: SimulatorTokens.personal)
            #expect(published.code == 0 && published.ids("items", field: "workflow_id").isEmpty)
        }
    }

    @Test("apps page by page_num and by page_index (cozepy's spelling) alike")
    func appsPaging() async throws {
        var scenario = try Scenario.bundled()
        scenario.apps += (4...6).map {
            Scenario.App(id: "745000000000000000\($0)", workspaceID: Self.researchLab, name: "A\($0)", ownerUserID: "2105850000001",
                         updatedAt: 1_718_100_000 + Int64($0))
        }
        try await SimulatorHarness.with(scenario) { sim in
            for key in ["page_num", "page_index"] {
                var seen: [String] = []
                for page in 1...4 {
                    let reply = try await sim.get("/v1/apps?workspace_id=\(Self.researchLab)&page_size=1&\(key)=\(page)",
                                                  token: SimulatorTokens.personal)
                    #expect((reply.data?["total"] as? Int) == 4)
                    seen += reply.ids("items")
                }
                #expect(seen == ["7450000000000000001", "7450000000000000004", "7450000000000000005", "7450000000000000006"], "\(key)")
            }
        }
    }

    @Test("bad parameters answer 4000", arguments: [
        "/v1/apps",
        "/v1/apps?workspace_id=7400000000000000004&publish_status=draft",
        "/v1/apps?workspace_id=7400000000000000004&page_size=51",
        "/v1/workflows?workspace_id=7400000000000000004",
        "/v1/workflows?page_num=1",
        "/v1/workflows?workspace_id=7400000000000000004&page_num=1&page_size=31",
        "/v1/workflows?workspace_id=7400000000000000004&page_num=1&workflow_mode=agent",
        "/v1/workflows?workspace_id=7400000000000000004&page_num=1&publish_status=published_draft",
    ])
    func badParameters(path: String) async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get(path, token: SimulatorTokens.personal)
            #expect(reply.status == 400 && reply.code == 4000, "\(reply.text)")
        }
    }
}
