import ArgumentParser
import CozeAudit
import CozeSimulator
import Foundation

extension CozeAuditCommand {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the built-in Coze simulator standalone.",
            discussion: """
                Serves the real Coze paths, envelopes and error codes for a scenario until interrupted.
                Example: coze-audit simulate --port 8080 --write-config /tmp/try
                         coze-audit run --config /tmp/try/coze-audit.yaml
                """)

        @Option(help: "A scenario JSON file (default: the built-in migrated-account scenario).")
        var scenario: String?

        @Option(help: "Address to listen on (loopback by default).")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (0 = any free port).")
        var port = 8080

        @Option(help: "Also write a coze-audit.yaml and token files for this scenario into this folder.")
        var writeConfig: String?

        func run() async throws {
            let loaded = try CLI.catching { try scenario.map { try Scenario.load(path: $0) } ?? Scenario.bundled() }
            let simulator = CozeSimulator(scenario: loaded)
            let host = host, writeConfig = writeConfig
            try await simulator.run(host: host, port: port) { bound in
                let url = "http://\(host):\(bound)"
                print("coze simulator (\(loaded.name)) listening on \(url)")
                if let writeConfig {
                    let path = try? DemoSetup.writeConfig(for: loaded, baseURL: url, directory: writeConfig, includeOAuth: false)
                    print(path.map { "wrote \($0)" } ?? "could not write a config into \(writeConfig)")
                }
                FileHandle.standardOutput.synchronizeFile()
            }
        }
    }
}
