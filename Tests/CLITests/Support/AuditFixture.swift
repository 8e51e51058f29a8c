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

    /// Writes the config for the chosen PATs; with `apps`, also the scenario's JWT apps (demo key)
    /// and OAuth apps (whose token files `addAppCredentials` fills by logging in).
    func writeConfig(baseURL: String, apps: Bool = false, jwtAppNames: Set<String>? = nil) throws {
        let enterprise = Set(scenario.accounts.filter(\.isEnterprise).map(\.id))
        func side(_ account: String?) -> Side { account.map(enterprise.contains) == true ? .enterprise : .personal }
        let chosen = scenario.credentials.filter { credentialNames?.contains($0.name) ?? true }
        try ExampleConfig.writeRunnable(
            directory: directory, baseURL: baseURL,
            pats: chosen.map { .init(name: $0.name, side: side($0.accountID), token: $0.token) },
            jwtApps: apps || jwtAppNames != nil ? scenario.jwtApps.filter { jwtAppNames?.contains($0.name) ?? true }.map {
                .init(name: $0.name, side: side($0.enterpriseID ?? $0.accountID), clientID: $0.clientID, keyID: $0.keyID,
                      privateKeyPEM: DemoAppKey.privateKeyPEM, accountID: $0.enterpriseID == nil ? $0.accountID : nil,
                      enterpriseID: $0.enterpriseID)
            } : [],
            oauth: apps ? scenario.oauthApps.map { .init(name: $0.name, side: side($0.accountID), clientID: $0.clientID) } : [])
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
        let http = CozeHTTPClient.make()
        for app in scenario.oauthApps {
            let login = DeviceLogin(baseURL: baseURL, clientID: app.clientID, httpClient: http, sleeper: NoWait())
            let authorization = try await login.start()
            #expect(simulator.approveDeviceCode(userCode: authorization.userCode))
            let token = try await login.waitForToken(authorization)
            try FileManager.default.createDirectory(atPath: directory + "/secrets", withIntermediateDirectories: true)
            try OAuthTokenFile.write(token, to: directory + "/secrets/\(app.name).json")
        }
        try await http.shutdown()
        try writeConfig(baseURL: baseURL, apps: true)
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

