import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `coze-audit` process started in the background, for tests that act while it runs: kill it
/// with SIGKILL, or start a second one against the same database. Like `CLIRunner`, waiting never
/// blocks a thread of the cooperative pool (the in-process simulator needs those threads).
final class CLIProcess: @unchecked Sendable {
    private let process = Process()
    private let drained = DispatchGroup()
    private var stdoutData = Data()
    private var stderrData = Data()

    init(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws {
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // The tests talk to simulators on 127.0.0.1, which a proxy of the machine running them
        // would intercept (loopback is not bypassed unless NO_PROXY says so): only a test's own
        // `environment` sets proxies.
        for name in ["http_proxy", "https_proxy", "all_proxy", "no_proxy"] {
            env[name] = nil
            env[name.uppercased()] = nil
        }
        env.merge(environment) { $1 }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Pipes are created and the child spawned under one lock: Foundation's pipes are inheritable,
        // so a child spawned by a concurrent test between another test's pipe() and its spawn would
        // hold that test's write end open (its reader never sees EOF: a hang), and concurrent
        // `Process.run()` calls have crashed corelibs-foundation here.
        let out: Pipe, err: Pipe
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        out = Pipe()
        err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        drained.enter()
        CLIRunner.blockingQueue().async { [self] in
            stdoutData = (try? out.fileHandleForReading.readToEnd()) ?? Data()
            drained.leave()
        }
        drained.enter()
        CLIRunner.blockingQueue().async { [self] in
            stderrData = (try? err.fileHandleForReading.readToEnd()) ?? Data()
            drained.leave()
        }
    }

    private static let spawnLock = NSLock()

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` (SIGKILL by default: no handler, no cleanup, like `kill -9`).
    func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for the exit; `status` is the exit code, or the signal number when killed.
    func wait() async -> (output: CLIRunner.Output, killedBy: Int32?) {
        await withCheckedContinuation { continuation in
            CLIRunner.blockingQueue().async { [self] in
                drained.wait()
                process.waitUntilExit()
                let output = CLIRunner.Output(
                    status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                    stderr: String(decoding: stderrData, as: UTF8.self))
                continuation.resume(returning: (output, process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil))
            }
        }
    }
}
