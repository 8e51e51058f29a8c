import ArgumentParser
import CozeAPI
import CozeAudit
@testable import CozeAuditCLI
import Foundation
import Testing

/// The command line parsed in-process (the command tree is the CozeAuditCLI library): options
/// land where the commands read them, mistakes argument-parser can see are usage errors (exit 2),
/// and the one error policy, ``CLI/outcome(of:)``, gives every typed error its documented code.
@Suite("command line: parsing and exit codes")
struct CommandLineParseTests {
    func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type = T.self) throws -> T {
        let command = try CozeAuditCommand.parseAsRoot(arguments)
        return try #require(command as? T, "\(arguments) parsed as \(Swift.type(of: command))")
    }

    @Test("run: --config, --database, --fail-on and --verbose reach the command; the defaults are the documented ones")
    func runOptions() throws {
        let run = try parse(["run", "--config", "/etc/coze-audit.yaml", "--database", "x.sqlite", "--fail-on", "new", "-v"],
                            as: CozeAuditCommand.Run.self)
        #expect(run.options.config == "/etc/coze-audit.yaml")
        #expect(run.options.database == "x.sqlite")
        #expect(run.failOn == .new)
        #expect(run.verbose)
        let plain = try parse(["run"], as: CozeAuditCommand.Run.self)
        #expect(plain.options.config == "coze-audit.yaml" && plain.failOn == .none && !plain.verbose)
    }

    @Test("report: every format of ReportFormat parses; the default is text; --run and -o")
    func reportOptions() throws {
        for format in ReportFormat.allCases {
            let report = try parse(["report", "--format", format.rawValue, "--run", "7", "-o", "out"], as: CozeAuditCommand.Report.self)
            #expect(report.format == format && report.run == 7 && report.output == "out")
        }
        #expect(try parse(["report"], as: CozeAuditCommand.Report.self).format == .text)
    }

    @Test("mistakes argument-parser sees are usage errors: exit 2 from the entry point, with the valid values named")
    func usageErrors() {
        for arguments in [["report", "--format", "pdf"], ["run", "--fail-on", "sometimes"], ["no-such-command"], ["report", "--run", "x"]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try CozeAuditCommand.parseAsRoot(arguments) }
            do {
                _ = try CozeAuditCommand.parseAsRoot(arguments)
            } catch {
                #expect(CozeAuditCommand.exitCode(for: error) == .validationFailure, "\(arguments)")
            }
        }
        do {
            _ = try CozeAuditCommand.parseAsRoot(["report", "--format", "pdf"])
        } catch {
            let message = CozeAuditCommand.fullMessage(for: error)
            #expect(["text", "json", "html", "csv", "junit", "prometheus"].allSatisfy { message.contains("  - \($0)\n") }, "\(message)")
        }
    }

    @Test("--version is argument-parser's clean exit (0) with the version; the help names every subcommand and the exit codes")
    func versionAndHelp() {
        do {
            _ = try CozeAuditCommand.parseAsRoot(["--version"])
            Issue.record("--version parsed as a command")
        } catch {
            #expect(CozeAuditCommand.exitCode(for: error) == .success)
            #expect(CozeAuditCommand.fullMessage(for: error).hasPrefix("coze-audit "))
        }
        let help = CozeAuditCommand.helpMessage()
        for name in ["run", "report", "query", "runs", "diff", "prune", "fallback", "check", "doctor", "notify", "login", "demo", "simulate", "bench", "init"] {
            #expect(help.contains("  \(name) "), "help lacks \(name)")
        }
        #expect(help.contains("4 another run holds the database lock"))
    }

    @Test("every typed error maps to its documented exit code, with one line naming the problem")
    func errorPolicy() {
        let cases: [(any Error, Int32)] = [
            (ConfigError(file: "c.yaml", line: 3, key: "base_url", problem: "must be a URL"), 2),
            (UsageError(message: "give a query NAME or --sql"), 2),
            (QueryError.refused("the statement would write; query is read-only"), 2),
            (StoreError.unknownRun(99), 2),
            (StoreError.locked(path: "/tmp/a.sqlite"), 4),
            (StoreError.noRuns, 3),
            (CLI.fail("a folder the demo did not create", code: 2), 2),
            (ExitCode(1), 1),
            (ExitCode(3), 3),
            (CocoaError(.fileReadNoPermission), 3),
        ]
        for (error, code) in cases {
            let outcome = CLI.outcome(of: error)
            #expect(outcome.code == code, "\(error)")
            if error is ExitCode {
                #expect(outcome.message == nil, "an ExitCode's command has already said what it had to")
            } else {
                let message = outcome.message ?? ""
                #expect(!message.isEmpty && !message.contains("\n"), "\(error): \(message)")
            }
        }
    }

    @Test("the binary: every subcommand's --help prints its usage on stdout and exits 0; a bad option exits 2")
    func helpFromTheBinary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coze-audit-help-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["run", "report", "query", "bench", "demo"] {
            let output = try await CLIRunner.run([name, "--help"], in: directory)
            #expect(output.status == 0, "\(name) --help: \(output.stderr)")
            #expect(output.stdout.contains("USAGE: coze-audit \(name)"), "\(name) --help")
            #expect(output.stderr.isEmpty, "\(name) --help: \(output.stderr)")
        }
        let bad = try await CLIRunner.run(["bench", "--phases", "nope"], in: directory)
        #expect(bad.status == 2 && bad.stderr.contains("unknown phase nope"), "\(bad.stderr)")
    }
}
