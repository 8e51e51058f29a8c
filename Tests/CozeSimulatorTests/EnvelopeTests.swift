import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

@Suite("Envelope and log id")
struct EnvelopeTests {
    @Test("A success answers the Coze envelope with the log id in the header and the body")
    func envelope() async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get("/v1/users/me", token: SimulatorTokens.personal)
            #expect(reply.status == 200)
            #expect(reply.code == 0)
            #expect(reply.json?["msg"] as? String == "")
            let logID = try #require(reply.logID)
            #expect((reply.json?["detail"] as? [String: Any])?["logid"] as? String == logID)
            #expect(logID.count == 32)
            #expect(logID.prefix(17).allSatisfy { $0.isNumber })
            #expect(reply.data?["user_id"] as? String == "2105850000001")
        }
    }

    @Test("Every response, errors included, carries a different log id")
    func uniqueLogIDs() async throws {
        try await SimulatorHarness.with { sim in
            var seen = Set<String>()
            for token in [SimulatorTokens.personal, SimulatorTokens.personal, SimulatorTokens.expired, "nope"] {
                let reply = try await sim.get("/v1/workspaces", token: token)
                seen.insert(try #require(reply.logID))
            }
            #expect(seen.count == 4)
            #expect(Set(sim.simulator.requestLog().map { $0.logID }) == seen)
        }
    }

    @Test("Ids are JSON strings and unknown routes answer 404 with code 4200")
    func idsAreStrings() async throws {
        try await SimulatorHarness.with { sim in
            let reply = try await sim.get("/v1/workspaces", token: SimulatorTokens.personal)
            #expect(reply.text.contains(#""id":"7400000000000000001""#))
            #expect(reply.data?["total_count"] as? Int == 2)
            let missing = try await sim.get("/v1/nothing", token: SimulatorTokens.personal)
            #expect(missing.status == 404)
            #expect(missing.code == 4200)
        }
    }

    @Test("The request log names the credential, query, status and code of each request")
    func requestLog() async throws {
        try await SimulatorHarness.with { sim in
            _ = try await sim.get("/v1/bots?workspace_id=7400000000000000001&publish_status=all", token: SimulatorTokens.personal)
            _ = try await sim.get("/v1/users/me", token: "pat_unknown")
            let log = sim.simulator.requestLog()
            #expect(log.count == 2)
            #expect(log[0].endpoint == "GET /v1/bots")
            #expect(log[0].query == ["workspace_id": "7400000000000000001", "publish_status": "all"])
            #expect(log[0].credential == "personal-pat")
            #expect(log[0].httpStatus == 200 && log[0].code == 0)
            #expect(log[1].credential == nil)
            #expect(log[1].httpStatus == 401 && log[1].code == 4100)
        }
    }
}
