import ArgumentParser
import CozeAPI
import CozeAudit
import CozeRecording
import Foundation

/// A failure a command decided itself, with its message and exit code (a usage mistake the parser
/// cannot see, a folder the demo refuses): thrown like any error, printed by the root command.
struct CommandFailure: Error {
    var message: String
    var code: Int32
}

/// The command line's one error policy: every command throws, and ``CozeAuditCommand/entryPoint()``
/// turns what it threw into one line on stderr and the exit code of docs/product.md §2 here, so the
/// same error exits the same way from every command.
enum CLI {
    static func fail(_ message: String, code: Int32) -> CommandFailure {
        CommandFailure(message: message, code: code)
    }

    /// The line to print (nil: nothing, the command said it already) and the exit code for an
    /// error a command threw. Never a stack trace; an error this table does not know is exit 3
    /// (the run or its store failed), explained in plain words.
    static func outcome(of error: any Error) -> (message: String?, code: Int32) {
        switch error {
        case let error as ExitCode: (nil, error.rawValue)
        case let error as CommandFailure: (error.message, error.code)
        case let error as ConfigError: (error.description, 2)
        case let error as UsageError: (error.message, 2)
        case let error as QueryError: (error.description, 2)
        case let error as DiffError: (error.description, 2)
        case let error as RecordingError: (error.description, 2)
        case let error as StoreError:
            switch error {
            case .locked: (error.description, 4)
            case .unknownRun: (error.description, 2)
            default: (error.description, 3)
            }
        case let error as CozeAPIError: (error.description, 3)
        default: (StoreError.explain(error), 3)
        }
    }

    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw fail("cannot write \(path): \(error.localizedDescription)", code: 2)
        }
    }

    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A user mistake on the command line that argument-parser cannot see (exit 2).
struct UsageError: Error {
    var message: String
}
