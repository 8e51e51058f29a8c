import ArgumentParser
import CozeAPI
import CozeAudit
import Foundation

/// Turns the three tiers of errors into one line on stderr and the exit code of docs/product.md §2.
enum CLI {
    static func fail(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("coze-audit: \(message)\n".utf8))
        return ExitCode(code)
    }

    /// Runs `body`, mapping known errors to their exit codes; never prints a stack trace.
    static func catching<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw map(error) }
    }

    static func catching<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw map(error) }
    }

    static func map(_ error: any Error) -> any Error {
        switch error {
        case let error as ExitCode: return error
        case let error as ConfigError: return fail(error.description, code: 2)
        case let error as UsageError: return fail(error.message, code: 2)
        case let error as StoreError:
            if case .locked = error { return fail(error.description, code: 4) }
            if case .unknownRun = error { return fail(error.description, code: 2) }
            return fail(error.description, code: 3)
        case let error as CozeAPIError: return fail(error.description, code: 3)
        case let error as QueryError: return fail(error.description, code: 2)
        case let error as DiffError: return fail(error.description, code: 2)
        default: return fail(StoreError.explain(error), code: 3)
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
