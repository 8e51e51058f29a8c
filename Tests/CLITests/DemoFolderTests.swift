import Foundation
import Testing

/// `demo` writes into one plain folder — `./coze-audit-demo` unless `--dir` says otherwise —
/// that it marks as its own: a second demo replaces its files there, a folder it did not create is
/// refused untouched, and the paths it prints can be pasted into a shell.
@Suite("demo folder", .serialized)
struct DemoFolderTests {
    /// A fresh current directory for one test.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coze-audit-demo-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func list(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    @Test("demo twice in the same current directory: ./coze-audit-demo, plain relative paths, the second replaces the first")
    func demoTwiceIntoDefaultFolder() async throws {
        let cwd = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let folder = cwd + "/coze-audit-demo"
        let printed = """
            config:   coze-audit-demo/coze-audit.yaml
            database: coze-audit-demo/coze-audit.sqlite
            report:   coze-audit-demo/report.html

            """

        let first = try await CLIRunner.run(["demo"], in: cwd)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasSuffix(printed), "\(first.stdout.suffix(300))")
        #expect(first.stdout.contains("run 1: before migrating") && first.stdout.contains("run 2: after migrating"))
        let written = try Self.list(folder)
        #expect(written == [".coze-audit-demo", "coze-audit.sqlite", "coze-audit.sqlite.lock", "coze-audit.yaml", "keys", "report.html", "secrets"]
                || written == [".coze-audit-demo", "coze-audit.sqlite", "coze-audit.sqlite-shm", "coze-audit.sqlite-wal", "coze-audit.sqlite.lock",
                               "coze-audit.yaml", "keys", "report.html", "secrets"], "\(written)")
        // Nothing was written outside the demo's folder.
        #expect(try Self.list(cwd) == ["coze-audit-demo"])
        // A file the user put into the demo's folder is not the demo's to delete.
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let firstReport = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.html"))
        #expect(firstReport.count > 1000)

        let second = try await CLIRunner.run(["demo"], in: cwd)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasSuffix(printed), "\(second.stdout.suffix(300))")
        // A fresh database, not runs 3 and 4 appended to the first demo's.
        #expect(second.stdout.contains("run 1: before migrating") && second.stdout.contains("run 2: after migrating"))
        #expect(!second.stdout.contains("run 3"))
        #expect(try Self.list(folder).contains("notes.txt"))
        #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "mine\n")
        #expect(try Self.list(cwd) == ["coze-audit-demo"])
        for output in [first, second] {
            #expect(!output.stdout.contains(cwd), "paths inside the current directory are printed relative to it")
            #expect(!output.stdout.contains("TemporaryItems"))
        }
    }

    @Test("demo into a non-empty folder it did not create: exit 2, one line, nothing written")
    func foreignFolderRefused() async throws {
        let cwd = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cwd) }
        let foreign = cwd + "/project"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: foreign + "/coze-audit.yaml"))

        let output = try await CLIRunner.run(["demo", "--dir", "project"], in: cwd)
        #expect(output.status == 2, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stderr == "coze-audit: project is not empty and was not created by `coze-audit demo`; choose an empty or new --dir\n",
                "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        #expect(try Self.list(foreign) == ["coze-audit.yaml"])
        #expect(try String(contentsOfFile: foreign + "/coze-audit.yaml", encoding: .utf8) == "keep me\n")

        // A file where the folder should be is refused the same way.
        let output2 = try await CLIRunner.run(["demo", "--dir", "project/coze-audit.yaml"], in: cwd)
        #expect(output2.status == 2)
        #expect(output2.stderr == "coze-audit: project/coze-audit.yaml is a file, not a folder; choose another --dir\n", "\(output2.stderr)")
        #expect(try Self.list(foreign) == ["coze-audit.yaml"])
        #expect(try Self.list(cwd) == ["project"])
    }

    @Test("an existing empty folder outside the current directory is adopted; its absolute path is printed, quoted when it needs quotes")
    func emptyFolderElsewhere() async throws {
        let cwd = try Self.temporaryDirectory()
        let elsewhere = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: cwd)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        let folder = elsewhere + "/demo (copy)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        let output = try await CLIRunner.run(["demo", "--dir", folder], in: cwd)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasSuffix("report:   '\(folder)/report.html'\n"), "\(output.stdout.suffix(300))")
        #expect(try Self.list(folder).contains(".coze-audit-demo"))
        #expect(try Self.list(cwd).isEmpty)
    }
}
