import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn` and reaped with `wait4`, so the benchmark gets the
/// child's own peak RSS from the kernel (`ru_maxrss`), which `Foundation.Process` does not expose.
/// Output goes to files: nothing can fill a pipe and stall the child.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let started: ContinuousClock.Instant

    struct Exit: Sendable {
        var status: Int32
        var wall: Duration
        /// Peak resident set size of the child, in bytes (`ru_maxrss`: at least the parent's RSS
        /// when it was spawned; see ``PeakMemory`` for the child's own).
        var peakRSS: Int
    }

    init(executable: String, arguments: [String], stdout: String, stderr: String, environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw BenchError.spawn(executable, errno: result) }
        self.pid = pid
        self.started = started
    }

    /// Waits on a plain thread (never a cooperative one) and returns the exit status, wall time and peak RSS.
    func wait() async -> Exit {
        await withCheckedContinuation { continuation in
            let pid = pid, started = started
            Thread.detachNewThread {
                var status: Int32 = 0
                var usage = rusage()
                while wait4(pid, &status, 0, &usage) == -1, errno == EINTR {}
                let wall = ContinuousClock.now - started
                #if canImport(Darwin)
                let peak = Int(usage.ru_maxrss)  // bytes on Darwin
                #else
                let peak = Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
                #endif
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                continuation.resume(returning: Exit(status: code, wall: wall, peakRSS: peak))
            }
        }
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }
}
