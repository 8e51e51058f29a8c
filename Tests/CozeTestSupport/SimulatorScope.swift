import CozeSimulator
import Foundation
import Logging

/// Tokens of the bundled `migrated-account` scenario (Sources/CozeSimulator/Scenarios).
public enum SimulatorTokens {
    public static let personal = "pat_sim_personal_Q2hpbmEgUGVyc29uYWw"
    public static let expired = "pat_sim_expired_T2xkIDIwMjQgUEFU"
    public static let team = "pat_sim_teamscope_U2FsZXMgVGVhbSBQQVQ"
    public static let enterprise = "pat_sim_enterprise_RW50ZXJwcmlzZSBQQVQ"
}

/// Runs `body` against an in-process simulator started on a free port, and stops it on every
/// path (held requests released first, so a test that parked one cannot hang the stop). The one
/// start-run-stop scope every suite's fixture is built on.
public func withSimulator<T>(
    _ scenario: Scenario, clock: any SimulatorClock = SystemSimulatorClock(), logLevel: Logger.Level = .error,
    _ body: (CozeSimulator) async throws -> T
) async throws -> T {
    var logger = Logger(label: "coze-simulator-tests")
    logger.logLevel = logLevel
    let simulator = CozeSimulator(scenario: scenario, logger: logger, clock: clock)
    try await simulator.start()
    do {
        let result = try await body(simulator)
        simulator.releaseHeld()
        await simulator.stop()
        return result
    } catch {
        simulator.releaseHeld()
        await simulator.stop()
        throw error
    }
}
