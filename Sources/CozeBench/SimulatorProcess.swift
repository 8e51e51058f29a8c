import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `coze-audit simulate --generate …` as a separate process, so the simulator's CPU and memory
/// are never counted as the auditor's. The URL is read from its first line of output.
final class SimulatorProcess: @unchecked Sendable {
    let child: ChildProcess
    let baseURL: String

    static func start(executable: String, shape: BenchShape, seed: UInt64, qps: Double?, latencyMS: Int,
                      directory: String) async throws -> SimulatorProcess {
        var arguments = ["simulate", "--generate", "--workspaces", String(shape.workspaces),
                         "--bots-per-workspace", String(shape.botsPerWorkspace),
                         "--conversations-per-bot", String(shape.conversationsPerBot), "--voices", String(shape.voices),
                         "--seed", String(seed), "--port", "0", "--latency-ms", String(latencyMS)]
        if let qps { arguments += ["--qps", String(qps)] }
        return try await start(executable: executable, arguments: arguments, directory: directory)
    }

    /// `coze-audit simulate --scenario FILE`: a tenant the bench wrote (credentials of every type,
    /// permission gaps, a limit on one token), served exactly as written (latency and limits included).
    static func start(executable: String, scenarioFile: String, directory: String) async throws -> SimulatorProcess {
        try await start(executable: executable, arguments: ["simulate", "--scenario", scenarioFile, "--port", "0"], directory: directory)
    }

    private static func start(executable: String, arguments: [String], directory: String) async throws -> SimulatorProcess {
        let stdout = directory + "/simulator.out", stderr = directory + "/simulator.err"
        let child = try ChildProcess(executable: executable, arguments: arguments, stdout: stdout, stderr: stderr)
        // A million-resource tenant takes a few seconds to generate.
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: stdout, encoding: .utf8),
               let range = text.range(of: "listening on ") {
                let url = text[range.upperBound...].prefix { !$0.isWhitespace }
                return SimulatorProcess(child: child, baseURL: String(url))
            }
            if waitpid(child.pid, nil, WNOHANG) == child.pid {
                let err = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
                throw BenchError.simulatorDidNotStart(err.isEmpty ? "it exited" : err)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        child.signal(SIGKILL)
        _ = await child.wait()
        throw BenchError.simulatorDidNotStart("no URL on its output after 180 s")
    }

    private init(child: ChildProcess, baseURL: String) {
        self.child = child
        self.baseURL = baseURL
    }

    /// Stops it (SIGTERM: graceful) and reaps it.
    /// Runs `body` with the simulator's base URL and stops the simulator on every path.
    func serving<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        do {
            let result = try await body(baseURL)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    func stop() async {
        child.signal(SIGTERM)
        _ = await child.wait()
    }
}
