import ArgumentParser
import CozeAudit
import CozeSimulator
import Foundation

extension CozeAuditCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit the built-in simulated migrated account end to end and write the HTML report.",
            discussion: "Example: swift run coze-audit demo --dir /tmp/coze-demo")

        @Option(help: "Folder for the config, token files, database and report (default: a new temporary folder).")
        var dir: String?

        func run() async throws {
            let directory = try dir ?? FileManager.default.url(
                for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()),
                create: true).path
            let scenario = try CLI.catching { try Scenario.bundled() }
            let simulator = CozeSimulator(scenario: scenario)
            let port = try await simulator.start()
            do {
                try await audit(directory: directory, baseURL: "http://127.0.0.1:\(port)", scenario: scenario)
            } catch {
                await simulator.stop()
                throw error
            }
            await simulator.stop()
        }

        func audit(directory: String, baseURL: String, scenario: Scenario) async throws {
            let configPath = try DemoSetup.writeConfig(for: scenario, baseURL: baseURL, directory: directory)
            let config = try CLI.catching { try ConfigLoader.load(path: configPath) }
            let credentials = try CLI.catching { try CredentialResolver().resolve(config, configFile: configPath) }
            let result = try await CLI.catching { try await AuditRunner(config: config, credentials: credentials).run() }
            let store = try CLI.catching { try AuditStore(path: config.databasePath) }
            let report = try CLI.catching { try ReportBuilder.build(store: store, runID: result.runID) }
            print(TextRenderer.render(report, detail: .all))
            let html = try HTMLRenderer.render(report, history: try RunHistory.load(store: store, upTo: result.runID))
            let htmlPath = URL(fileURLWithPath: directory).appendingPathComponent("report.html").path
            try CLI.write(html, to: htmlPath)
            print("config:   \(configPath)")
            print("database: \(config.databasePath)")
            print("report:   \(htmlPath)")
        }
    }
}
