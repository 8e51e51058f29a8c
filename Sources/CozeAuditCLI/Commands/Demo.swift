import ArgumentParser
import CozeAudit
import CozeSimulator
import Foundation

extension CozeAuditCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit the built-in simulated account before and after a workspace migration; write the HTML report.",
            discussion: """
                Starts the simulator on a free local port with the migrated-account scenario, but with the
                "Sales Team" workspace still personal; logs in the OAuth user (device flow), runs an audit,
                migrates the workspace into the enterprise, runs again, and prints the second report.
                The folder is created when missing and marked as the demo's; the next demo into it replaces
                the files it wrote. A non-empty folder the demo did not create is refused (exit 2).
                Example: swift run coze-audit demo --dir /tmp/coze-demo
                """)

        @Option(help: "Folder for the config, token files, database and report; created when missing, its demo files replaced by the next demo.")
        var dir: String = DemoFolder.defaultPath

        static let migratingWorkspace = "7400000000000000002"

        func run() async throws {
            let directory = try DemoFolder.prepare(dir).path
            let migrated = try Scenario.bundled()
            var before = migrated
            guard let index = before.workspaces.firstIndex(where: { $0.id == Self.migratingWorkspace }),
                  let personal = before.workspaces[index].migratedFrom else {
                throw CLI.fail("the built-in scenario has no migrated workspace \(Self.migratingWorkspace)", code: 3)
            }
            let enterprise = before.workspaces[index].accountID
            before.workspaces[index].accountID = personal
            let simulator = CozeSimulator(scenario: before)
            let port = try await simulator.start()
            do {
                try await audit(directory: directory, baseURL: "http://127.0.0.1:\(port)", scenario: before, simulator: simulator) {
                    simulator.update { scenario in
                        if let i = scenario.workspaces.firstIndex(where: { $0.id == Self.migratingWorkspace }) {
                            scenario.workspaces[i].accountID = enterprise
                        }
                    }
                }
            } catch {
                await simulator.stop()
                throw error
            }
            await simulator.stop()
        }

        func audit(directory: String, baseURL: String, scenario: Scenario, simulator: CozeSimulator,
                   migrate: () -> Void) async throws {
            let configPath = try DemoSetup.writeConfig(for: scenario, baseURL: baseURL, directory: directory, includeOAuth: true)
            try await DemoSetup.loginOAuthApps(scenario, simulator: simulator, baseURL: baseURL, directory: directory)
            let config = try ConfigLoader.load(path: configPath)
            let credentials = try CredentialResolver().resolve(config, configFile: configPath)
            let first = try await AuditRunner(config: config, credentials: credentials).run()
            print("run \(first.runID): before migrating workspace \(Self.migratingWorkspace) (\(first.status.rawValue))")
            migrate()
            let second = try await AuditRunner(config: config, credentials: credentials).run()
            print("run \(second.runID): after migrating it into the enterprise (\(second.status.rawValue))\n")
            let store = try AuditStore(path: config.databasePath)
            print(try ReportRendering.render(.text, store: store, runID: second.runID))
            print(try RunDiff.compute(store: store, from: first.runID, to: second.runID).text())
            print(try FallbackCheck.compute(store: store, runID: second.runID, chains: config.fallbackChains).text())
            let html = try ReportRendering.render(.html, store: store, runID: second.runID, fallbackChains: config.fallbackChains)
            let htmlPath = URL(fileURLWithPath: directory).appendingPathComponent("report.html").path
            try CLI.write(html, to: htmlPath)
            print("config:   \(DemoFolder.display(configPath))")
            print("database: \(DemoFolder.display(config.databasePath))")
            print("report:   \(DemoFolder.display(htmlPath))")
        }
    }
}
