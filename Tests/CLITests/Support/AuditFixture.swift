import CozeAPI
import CozeAudit
import CozeSimulator
import Foundation
import Testing

/// A simulator on a free port plus a temporary folder with a runnable configuration for the
/// scenario's credentials: what a user gets from `simulate --write-config`.
final class AuditFixture {
    let simulator: CozeSimulator
    let scenario: Scenario
    let directory: String
    let baseURL: String
    var configPath: String { directory + "/coze-audit.yaml" }
    var databasePath: String { directory + "/coze-audit.sqlite" }

    /// The scenario credentials written into the config (all PATs when nil).
    let credentialNames: [String]?

    init(scenario: Scenario, credentials: [String]? = nil) async throws {
        self.scenario = scenario
        self.credentialNames = credentials
        simulator = CozeSimulator(scenario: scenario)
        let port = try await simulator.start()
        baseURL = "http://127.0.0.1:\(port)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coze-audit-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeConfig(baseURL: baseURL)
    }

    func writeConfig(baseURL: String) throws {
        let enterprise = Set(scenario.accounts.filter(\.isEnterprise).map(\.id))
        let chosen = scenario.credentials.filter { credentialNames?.contains($0.name) ?? true }
        try ExampleConfig.writeRunnable(directory: directory, baseURL: baseURL, pats: chosen.map {
            .init(name: $0.name, side: enterprise.contains($0.accountID) ? .enterprise : .personal, token: $0.token)
        })
    }

    func cli(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRunner.Output {
        try await CLIRunner.run(arguments + ["--config", configPath], environment: environment, in: directory)
    }

    func reportJSON(run: Int? = nil) async throws -> [String: Any] {
        let output = try await cli(["report", "--format", "json"] + (run.map { ["--run", String($0)] } ?? []))
        guard output.status == 0, let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else {
            throw FixtureError.badReport(output.stderr)
        }
        return object
    }

    func tearDown() async {
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    enum FixtureError: Error { case badReport(String) }

    static func expectedFile(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Expected").appendingPathComponent(name)
    }
}

/// The comparable part of a finding: every field except the explanation for readers.
func comparable(_ findings: [[String: Any]]) -> [String] {
    let keys = ["kind", "resource_type", "resource_id", "seen_by", "credential", "reason", "exclusive_resources",
                "endpoint", "code", "not_observed", "new"]
    return findings.map { finding in
        keys.compactMap { key -> String? in
            guard let value = finding[key] else { return nil }
            let text: String
            if let array = value as? [Any] { text = "[" + array.map { "\($0)" }.joined(separator: ",") + "]" }
            else if key == "new" { text = (value as? Bool ?? false) ? "true" : "false" }
            else { text = "\(value)" }
            return "\(key)=\(text)"
        }.joined(separator: " ")
    }.sorted()
}

/// Runs `body` with a fresh fixture and always stops its simulator and removes its folder.
func withFixture<T>(_ scenario: Scenario, credentials: [String]? = nil, _ body: (AuditFixture) async throws -> T) async throws -> T {
    let fixture = try await AuditFixture(scenario: scenario, credentials: credentials)
    do {
        let result = try await body(fixture)
        await fixture.tearDown()
        return result
    } catch {
        await fixture.tearDown()
        throw error
    }
}


extension AuditFixture {
    /// Adds the scenario's JWT apps (with the simulator's demo key) and OAuth apps (after a real
    /// device login, approved in the simulator) to the config, as `demo` does.
    func addAppCredentials() async throws {
        var yaml = try String(contentsOfFile: configPath, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true)
        let keyPath = directory + "/keys/demo-app.pem"
        try DemoAppKey.privateKeyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        for app in scenario.jwtApps {
            let target = app.enterpriseID.map { "enterprise_id: \"\($0)\"" } ?? "account_id: \"\(app.accountID ?? "")\""
            yaml += "  - name: \(app.name)\n    side: \(app.enterpriseID == nil ? "personal" : "enterprise")\n    jwt:\n"
                + "      client_id: \"\(app.clientID)\"\n      key_id: \"\(app.keyID)\"\n      private_key_file: keys/demo-app.pem\n      \(target)\n"
        }
        let http = CozeHTTPClient.make()
        for app in scenario.oauthApps {
            let login = DeviceLogin(baseURL: baseURL, clientID: app.clientID, httpClient: http, sleeper: NoWait())
            let authorization = try await login.start()
            #expect(simulator.approveDeviceCode(userCode: authorization.userCode))
            let token = try await login.waitForToken(authorization)
            try OAuthTokenFile.write(token, to: directory + "/secrets/\(app.name).json")
            yaml += "  - name: \(app.name)\n    side: enterprise\n    oauth:\n      client_id: \"\(app.clientID)\"\n      token_file: secrets/\(app.name).json\n"
        }
        try await http.shutdown()
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func appendYAML(_ text: String) throws {
        let yaml = try String(contentsOfFile: configPath, encoding: .utf8) + text
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func findings(run: Int? = nil) async throws -> [[String: Any]] {
        try await reportJSON(run: run)["findings"] as? [[String: Any]] ?? []
    }
}

struct NoWait: CozeSleeper {
    func sleep(for duration: Duration) async throws {}
}

