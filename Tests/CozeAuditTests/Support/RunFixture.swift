import CozeAPI
@testable import CozeAudit
import CozeSimulator
import CozeTestSupport
import Foundation
import GRDB
import Logging
import Synchronization

/// A whole audit run in-process: the simulator on port 0, a file database in a temporary folder,
/// the real `AuditRunner` with PAT credentials from an injected environment, and a client whose
/// retries never really sleep (jitter factor fixed at 0.5).
final class RunFixture: Sendable {
    let simulator: CozeSimulator
    let scenario: Scenario
    let folder: TemporaryDirectory
    let credentialNames: [String]
    let sleeper = RecordingSleeper()
    var databasePath: String { folder.file("audit.sqlite") }

    init(simulator: CozeSimulator, scenario: Scenario, credentials: [String]) throws {
        self.simulator = simulator
        self.scenario = scenario
        self.credentialNames = credentials
        folder = try TemporaryDirectory()
    }

    /// Runs `body` with a fresh fixture; the simulator is stopped and the folder removed on every path.
    static func with<T>(
        _ scenario: Scenario? = nil, credentials: [String] = ["personal-pat", "enterprise-pat"],
        clock: any SimulatorClock = SystemSimulatorClock(),
        _ body: (RunFixture) async throws -> T
    ) async throws -> T {
        let scenario = try scenario ?? Scenario.bundled()
        return try await withSimulator(scenario, clock: clock) { simulator in
            let fixture = try RunFixture(simulator: simulator, scenario: scenario, credentials: credentials)
            defer { fixture.folder.remove() }
            return try await body(fixture)
        }
    }

    /// The side of a scenario credential, from its account.
    func side(of name: String) -> Side {
        let account = scenario.credentials.first { $0.name == name }?.accountID
        return scenario.accounts.first { $0.id == account }?.isEnterprise == true ? .enterprise : .personal
    }

    func config(concurrency: Int = 8, limits: ClientLimits = ClientLimits()) -> AuditConfig {
        let credentials = credentialNames.enumerated().map { index, name in
            CredentialConfig(name: name, side: side(of: name), auth: .pat(.env("COZE_TEST_TOKEN_\(index)")))
        }
        var config = AuditConfig(baseURL: simulator.baseURL, databasePath: databasePath, concurrency: concurrency,
                                 credentials: credentials, directory: folder.path)
        config.limits = limits
        return config
    }

    /// The fixture's credentials resolved as the CLI resolves them (tokens from the environment).
    func resolved(_ config: AuditConfig) throws -> [ResolvedCredential] {
        var environment: [String: String] = [:]
        for (index, name) in credentialNames.enumerated() {
            environment["COZE_TEST_TOKEN_\(index)"] = scenario.credentials.first { $0.name == name }?.token
        }
        return try CredentialResolver(environment: environment, warn: { _ in })
            .resolve(config, configFile: folder.file("coze-audit.yaml"))
    }

    /// `coze-audit doctor` with the fixture's credentials, storing into the fixture's database.
    func doctor() async throws -> DoctorReport {
        let config = config()
        var logger = Logger(label: "coze-audit.test")
        logger.logLevel = .critical
        let options = CozeClientOptions(retry: CozeRetryPolicy(maxAttempts: 2, sleeper: sleeper, random: { 0.5 }))
        return try await Doctor(config: config, credentials: try resolved(config), clientOptions: options,
                                now: { Date(timeIntervalSince1970: 1_764_000_000) }, logger: logger).run()
    }

    func runner(concurrency: Int = 8, limits: ClientLimits = ClientLimits(), maxAttempts: Int = 3) throws -> AuditRunner {
        let config = config(concurrency: concurrency, limits: limits)
        let credentials = try resolved(config)
        var logger = Logger(label: "coze-audit.test")
        logger.logLevel = .critical
        let options = CozeClientOptions(retry: CozeRetryPolicy(maxAttempts: maxAttempts, sleeper: sleeper, random: { 0.5 }))
        return AuditRunner(config: config, credentials: credentials, clientOptions: options,
                           now: { Date(timeIntervalSince1970: 1_764_000_000) }, logger: logger)
    }

    @discardableResult
    func run(concurrency: Int = 8, limits: ClientLimits = ClientLimits(), maxAttempts: Int = 3) async throws -> AuditRunner.Result {
        try await runner(concurrency: concurrency, limits: limits, maxAttempts: maxAttempts).run()
    }

    /// Every row of `sql` as text (NULL as nil), read through a fresh connection.
    func table(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [[String?]] {
        let queue = try DatabaseQueue(path: databasePath)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in row.databaseValues.map(SeededStore.text) }
        }
    }

    /// `kind subject` of every finding of a run, sorted.
    func findings(run: Int64) throws -> [String] {
        try table("SELECT key FROM finding WHERE run_id = ? ORDER BY key", [run]).map { $0[0] ?? "" }
    }

    /// Requests the simulator answered for `credential`.
    func log(_ credential: String) -> [SimulatedRequest] {
        simulator.requestLog().filter { $0.credential == credential }
    }

    /// `requests / failed_requests` stored for a credential in a run.
    func counts(_ credential: String, run: Int64) throws -> [String?] {
        try table("""
            SELECT rc.requests, rc.failed_requests FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
            WHERE rc.run_id = ? AND c.name = ?
            """, [run, credential]).first ?? []
    }

    /// The log ids of the failed requests stored for a credential in a run, sorted.
    func failureLogIDs(_ credential: String, run: Int64) throws -> [String] {
        try table("""
            SELECT f.logid FROM request_failure f JOIN credential c ON c.id = f.credential_id
            WHERE f.run_id = ? AND c.name = ? ORDER BY f.logid
            """, [run, credential]).map { $0[0] ?? "-" }
    }
}

extension SimulatedRequest {
    /// An attempt that did not succeed: an error status or a Coze error code.
    var failed: Bool { httpStatus != 200 || code != 0 }
}
