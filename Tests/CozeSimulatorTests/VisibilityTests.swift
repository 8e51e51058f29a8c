import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Visibility model of the migrated-account scenario")
struct VisibilityTests {
    @Test("Workspaces: personal sees 01 and 04, enterprise 02 03 05, the team-scoped PAT none")
    func workspaces() async throws {
        try await SimulatorHarness.with { sim in
            let personal = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(personal.ids("workspaces") == ["7400000000000000001", "7400000000000000004"])
            let enterprise = try await sim.get("/v1/workspaces", token: SimulatorTokens.enterprise)
            #expect(enterprise.ids("workspaces") == ["7400000000000000002", "7400000000000000003", "7400000000000000005"])
            let team = try await sim.get("/v1/workspaces", token: SimulatorTokens.team)
            #expect(team.code == 0)
            #expect(team.ids("workspaces").isEmpty)
            #expect(team.data?["total_count"] as? Int == 0)
        }
    }

    @Test("Workspace items carry every documented field, enterprise_id empty for personal workspaces")
    func workspaceFields() async throws {
        try await SimulatorHarness.with { sim in
            let enterprise = try await sim.get("/v1/workspaces?page_size=1", token: SimulatorTokens.enterprise)
            let item = try #require((enterprise.data?["workspaces"] as? [[String: Any]])?.first)
            let keys = ["id", "name", "icon_url", "role_type", "workspace_type", "enterprise_id", "owner_uid", "admin_uids", "description", "joined_status"]
            #expect(Set(item.keys) == Set(keys))
            #expect(item["enterprise_id"] as? String == "volcano_2105850123")
            #expect(item["role_type"] as? String == "owner")
            let personal = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            let first = try #require((personal.data?["workspaces"] as? [[String: Any]])?.first)
            #expect(first["enterprise_id"] as? String == "")
        }
    }

    @Test("Bots: default lists API-published bots only, publish_status=all every bot, other workspaces 4101")
    func bots() async throws {
        try await SimulatorHarness.with { sim in
            let online = try await sim.get("/v1/bots?workspace_id=7400000000000000001", token: SimulatorTokens.personal)
            #expect(online.ids("items") == ["7410000000000000001"])
            let all = try await sim.get("/v1/bots?workspace_id=7400000000000000001&publish_status=all", token: SimulatorTokens.personal)
            #expect(all.ids("items") == ["7410000000000000001", "7410000000000000002"])
            let drafts = try await sim.get("/v1/bots?workspace_id=7400000000000000004&publish_status=unpublished_draft", token: SimulatorTokens.personal)
            #expect(drafts.ids("items") == ["7410000000000000007"])
            let sdk = try await sim.get("/v1/bots?workspace_id=7400000000000000002&publish_status=published_draft&connector_id=999", token: SimulatorTokens.enterprise)
            #expect(sdk.ids("items") == ["7410000000000000004"])
            let migrated = try await sim.get("/v1/bots?workspace_id=7400000000000000002", token: SimulatorTokens.personal)
            #expect(migrated.status == 403 && migrated.code == 4101)
            let draftItem = try #require((all.data?["items"] as? [[String: Any]])?.last)
            #expect(draftItem["is_published"] as? Bool == false)
            #expect(draftItem["published_at"] == nil)
        }
    }

    @Test("The legacy published_bots_list lists API-channel bots with publish_time as a string")
    func legacyBots() async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get("/v1/space/published_bots_list?space_id=7400000000000000002", token: SimulatorTokens.enterprise)
            #expect(reply.ids("space_bots", field: "bot_id") == ["7410000000000000003"])
            let item = try #require((reply.data?["space_bots"] as? [[String: Any]])?.first)
            #expect(item["publish_time"] as? String == "1718000200")
            #expect(reply.data?["total"] as? Int == 1)
        }
    }

    @Test("Conversations: own account only, per connector; bots of unlisted workspaces 4101")
    func conversations() async throws {
        try await SimulatorHarness.with { sim in
            let api = try await sim.get("/v1/conversations?bot_id=7410000000000000001", token: SimulatorTokens.personal)
            #expect(api.ids("conversations") == ["7420000000000000001"])
            let sdk = try await sim.get("/v1/conversations?bot_id=7410000000000000001&connector_id=999", token: SimulatorTokens.personal)
            #expect(sdk.ids("conversations") == ["7420000000000000002"])
            let enterprise = try await sim.get("/v1/conversations?bot_id=7410000000000000003", token: SimulatorTokens.enterprise)
            #expect(enterprise.ids("conversations") == ["7420000000000000005"])
            let stranded = try await sim.get("/v1/conversations?bot_id=7410000000000000003", token: SimulatorTokens.personal)
            #expect(stranded.code == 4101)
            let unknown = try await sim.get("/v1/conversations?bot_id=1", token: SimulatorTokens.personal)
            #expect(unknown.code == 4200)
        }
    }

    @Test("Retrieve answers own conversations and 4200 for others' or unknown ids")
    func retrieve() async throws {
        try await SimulatorHarness.with { sim in
            let own = try await sim.get("/v1/conversation/retrieve?conversation_id=7420000000000000004", token: SimulatorTokens.personal)
            #expect(own.data?["id"] as? String == "7420000000000000004")
            #expect(own.data?["creator_id"] as? String == "2105850000001")
            let others = try await sim.get("/v1/conversation/retrieve?conversation_id=7420000000000000004", token: SimulatorTokens.enterprise)
            #expect(others.status == 404 && others.code == 4200)
            let unknown = try await sim.get("/v1/conversation/retrieve?conversation_id=42", token: SimulatorTokens.personal)
            #expect(unknown.code == 4200)
        }
    }

    @Test("Voices: system voices plus own cloned ones; voice_state=all adds training voices")
    func voices() async throws {
        try await SimulatorHarness.with { sim in
            let cloned = try await sim.get("/v1/audio/voices", token: SimulatorTokens.personal)
            #expect(cloned.ids("voice_list", field: "voice_id") == [
                "7430000000000000001", "7430000000000000002",
                "7426720361733046281", "7426720361733046282", "7426720361733046283",
            ])
            let all = try await sim.get("/v1/audio/voices?voice_state=all&filter_system_voice=true", token: SimulatorTokens.personal)
            #expect(all.ids("voice_list", field: "voice_id") == ["7430000000000000001", "7430000000000000002", "7430000000000000003"])
            let small = try await sim.get("/v1/audio/voices?model_type=small&filter_system_voice=true", token: SimulatorTokens.personal)
            #expect(small.ids("voice_list", field: "voice_id") == ["7430000000000000002"])
            let item = try #require((cloned.data?["voice_list"] as? [[String: Any]])?.first)
            #expect(item.keys.count == 14)
        }
    }

    @Test("users/me: an enterprise token acts as the migrated personal user")
    func usersMe() async throws {
        try await SimulatorHarness.with { sim in
            let enterprise = try await sim.get("/v1/users/me", token: SimulatorTokens.enterprise)
            #expect(enterprise.data?["user_id"] as? String == "2105850000001")
            #expect(Set(enterprise.data?.keys.map { $0 } ?? []) == ["user_id", "user_name", "nick_name", "avatar_url"])
        }
    }
}
