import Dispatch
import Foundation

/// Runs the built `coze-audit` binary as a separate process, the way cron does.
struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable SwiftPM built next to the test bundle.
    static let binary: URL = {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("coze-audit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/coze-audit")
    }()

    /// Runs the binary to completion. Async so that waiting for the child never blocks a thread of
    /// Swift's cooperative pool: the in-process simulator answering the child needs those threads.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) async throws -> Output {
        try await CLIProcess(arguments, environment: environment, in: directory).wait().output
    }

    /// A fresh queue for work that blocks (reading a pipe, waiting for a child). Not
    /// `DispatchQueue.global()`: on Linux Swift's global executor runs on that same root queue, whose
    /// threads are limited to the cores, so blocked readers there starve every task (the in-process
    /// simulator included) until libdispatch adds a thread, seconds later. A queue of its own runs on
    /// an overcommit thread that may block.
    static func blockingQueue() -> DispatchQueue {
        DispatchQueue(label: "coze-audit.tests.blocking")
    }
}
