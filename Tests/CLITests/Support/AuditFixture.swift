import AsyncHTTPClient
import CozeAPI
import CozeAudit
import CozeSimulator
import CozeTestSupport
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

    init(simulator: CozeSimulator, scenario: Scenario, credentials: [String]? = nil) throws {
        self.scenario = scenario
        self.credentialNames = credentials
        self.simulator = simulator
        baseURL = simulator.baseURL
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

    func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    enum FixtureError: Error { case badReport(String) }

    static func expectedFile(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Expected").appendingPathComponent(name)
    }
}

/// Fields of a finding that are never compared: `why` is the reader's note of the expected files,
/// `remedy` a fixed text per kind (the one that varies, `app_not_authorized` with reason
/// `other_path_works`, has its own focused assertion in `EvidenceSwitchTests`).
let uncomparedFindingFields: Set<String> = ["why", "remedy"]

/// How a field is written when a finding lacks it: a field present on one side and absent on
/// the other is a difference, never skipped.
let absentFindingField = "<absent>"

/// The comparable form of the actual and the expected findings, and what differs.
struct FindingComparison {
    /// One line per finding: `field=value` for every compared field, `key` first, then by name.
    let actual: [String]
    let expected: [String]
    /// Per finding key: the fields that differ, and the findings only one side has.
    let differences: [String]
    var matches: Bool { actual == expected }
}

/// Compares every field of the findings except ``uncomparedFindingFields``. The fields compared
/// are the union of the keys of both sides, so a field one side lacks is written
/// ``absentFindingField`` there. Values are compared as canonical JSON (arrays in order, objects
/// with sorted keys). An expected value `{"matches": "REGEX"}` stands for a value that cannot be
/// known in advance (a run's timestamp): the actual finding with the same `key` passes when that
/// field is a string the whole REGEX matches.
func comparable(_ actual: [[String: Any]], _ expected: [[String: Any]]) -> FindingComparison {
    let fields = Set((actual + expected).flatMap(\.keys)).subtracting(uncomparedFindingFields)
        .sorted { ($0 == "key" ? 0 : 1, $0) < ($1 == "key" ? 0 : 1, $1) }
    var patterns: [String: [String: String]] = [:]
    for finding in expected {
        guard let key = finding["key"] as? String else { continue }
        for (field, value) in finding {
            if let object = value as? [String: Any], object.count == 1, let regex = object["matches"] as? String {
                patterns[key, default: [:]][field] = regex
            }
        }
    }
    func text(_ field: String, of finding: [String: Any], expected isExpected: Bool) -> String {
        guard let value = finding[field] else { return absentFindingField }
        let key = finding["key"] as? String ?? ""
        if let regex = patterns[key]?[field] {
            let pattern = "~/\(regex)/"
            if isExpected { return pattern }
            // A malformed REGEX matches nothing: the field then shows as a difference.
            if let string = value as? String, let compiled = try? Regex(regex), string.wholeMatch(of: compiled) != nil {
                return pattern
            }
        }
        return canonicalJSON(value)
    }
    func rows(_ findings: [[String: Any]], expected isExpected: Bool) -> [(key: String, fields: [String: String])] {
        findings.map { finding in
            let values = Dictionary(uniqueKeysWithValues: fields.map { ($0, text($0, of: finding, expected: isExpected)) })
            return (finding["key"] as? String ?? values["key"] ?? absentFindingField, values)
        }
    }
    func line(_ values: [String: String]) -> String { fields.map { "\($0)=\(values[$0] ?? absentFindingField)" }.joined(separator: " ") }
    let actualRows = rows(actual, expected: false), expectedRows = rows(expected, expected: true)
    let actualLines = actualRows.map { line($0.fields) }.sorted(), expectedLines = expectedRows.map { line($0.fields) }.sorted()

    var differences: [String] = []
    let actualByKey = Dictionary(actualRows.map { ($0.key, [$0.fields]) }, uniquingKeysWith: +)
    let expectedByKey = Dictionary(expectedRows.map { ($0.key, [$0.fields]) }, uniquingKeysWith: +)
    for key in Set(actualByKey.keys).union(expectedByKey.keys).sorted() {
        switch (expectedByKey[key], actualByKey[key]) {
        case let (expected?, actual?) where expected.count == 1 && actual.count == 1:
            for field in fields where expected[0][field] != actual[0][field] {
                differences.append("\(key): \(field) expected \(expected[0][field]!), actual \(actual[0][field]!)")
            }
        case let (expected, actual):
            let e = (expected ?? []).map(line).sorted(), a = (actual ?? []).map(line).sorted()
            if e != a {
                differences += e.filter { !a.contains($0) }.map { "missing: \($0)" }
                differences += a.filter { !e.contains($0) }.map { "unexpected: \($0)" }
            }
        }
    }
    return FindingComparison(actual: actualLines, expected: expectedLines, differences: differences)
}

/// The canonical JSON text of one value as `JSONSerialization` decoded it (booleans stay booleans).
func canonicalJSON(_ value: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    else { return "\(value)" }
    return String(decoding: data, as: UTF8.self)
}

/// Expects the findings to equal the expected ones field by field (see ``comparable(_:_:)``);
/// on failure the comment lists each differing field and each finding only one side has.
func expectFindings(_ actual: [[String: Any]], _ expected: [[String: Any]], _ context: String = "",
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let comparison = comparable(actual, expected)
    // Only the differences in the message: the full comparable lines of both sides are long.
    let sameFindings = comparison.matches
    #expect(sameFindings, "\(context): \(comparison.differences.joined(separator: "; "))", sourceLocation: sourceLocation)
}

/// Runs `body` with a fresh fixture and always stops its simulator and removes its folder.
func withFixture<T>(_ scenario: Scenario, credentials: [String]? = nil, _ body: (AuditFixture) async throws -> T) async throws -> T {
    try await withSimulator(scenario) { simulator in
        let fixture = try AuditFixture(simulator: simulator, scenario: scenario, credentials: credentials)
        defer { fixture.removeDirectory() }
        return try await body(fixture)
    }
}


extension AuditFixture {
    /// Adds the scenario's JWT apps (with the simulator's demo key) and OAuth apps (after a real
    /// device login, approved in the simulator) to the config, as `demo` does.
    func addAppCredentials() async throws {
        let http = CozeHTTPClient.make()
        for app in scenario.oauthApps {
            let login = DeviceLogin(baseURL: baseURL, clientID: app.clientID, httpClient: http, sleeper: RecordingSleeper())
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
