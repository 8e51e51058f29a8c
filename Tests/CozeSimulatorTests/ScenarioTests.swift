import CozeSimulator
import Foundation
import Testing

@Suite("Scenario format")
struct ScenarioTests {
    @Test("The bundled scenario decodes with defaults for omitted fields")
    func bundled() throws {
        let scenario = try Scenario.bundled()
        #expect(scenario.name == "migrated-account")
        #expect(scenario.workspaces.count == 5)
        let names = scenario.credentials.map { $0.name }
        #expect(Array(names.prefix(4)) == ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat"])
        #expect(scenario.jwtApps.allSatisfy { $0.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----") })
        #expect(scenario.credentials[2].workspaceScope == .only(["7400000000000000002"]))
        #expect(scenario.errorsAsHTTP200 == false)
        #expect(scenario.faults.isEmpty)
        #expect(scenario.voices.filter(\.isSystemVoice).count == 3)
    }

    @Test("A minimal scenario needs only ids; encoding and decoding round-trips")
    func minimalRoundTrip() throws {
        let json = #"""
        {"accounts":[{"id":"1","type":"personal","name":"a"}],
         "workspaces":[{"id":"w","account_id":"1"}],
         "bots":[{"id":"b","workspace_id":"w","name":"n","owner_user_id":"1"}],
         "credentials":[{"name":"c","token":"t","account_id":"1"}]}
        """#
        let scenario = try Scenario.decode(Data(json.utf8))
        #expect(scenario.workspaces[0].ownerUID == "1" && scenario.workspaces[0].workspaceType == "team")
        #expect(scenario.bots[0].publishStatus == "published_online")
        #expect(scenario.bots[0].connectorIDs == ["1024"])
        #expect(scenario.credentials[0].status == "active")
        #expect(scenario.credentials[0].workspaceScope == .all)
        let again = try Scenario.decode(try scenario.jsonData())
        #expect(again == scenario)
    }

    @Test("An unknown bundled name and a bad file are reported with their names")
    func errors() throws {
        #expect(throws: ScenarioError.self) { try Scenario.bundled("nope") }
        let error = #expect(throws: ScenarioError.self) { try Scenario.decode(Data("{\"workspaces\":3}".utf8), source: "x.json") }
        #expect(error.map { String(describing: $0) }?.contains("x.json") == true)
    }
}
