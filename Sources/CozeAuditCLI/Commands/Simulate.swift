import ArgumentParser
import CozeAudit
import CozeRecording
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
                A generated tenant of any size (deterministic for a seed), rate-limited and slowed like the real API:
                         coze-audit simulate --generate --workspaces 200 --bots-per-workspace 20 \
                           --conversations-per-bot 30 --voices 50 --seed 1 --qps 20 --latency-ms 20
                An ambiguity of the real API the client must survive (repeatable; see Sources/CozeSimulator/Scenarios/README.md):
                         coze-audit simulate --quirk bots_page_index_only --quirk omit_has_more_false
                """)

        @Option(help: "A scenario JSON file (default: the built-in migrated-account scenario).")
        var scenario: String?

        @Option(help: "Address to listen on (loopback by default).")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (0 = any free port).")
        var port = 8080

        @Option(help: "Also write a coze-audit.yaml and token files for this scenario into this folder.")
        var writeConfig: String?

        @OptionGroup var generated: GenerateOptions

        @Option(help: "Requests per second allowed per credential; over it the answer is HTTP 429 with code 4013, like the real API (default: unlimited, or the scenario's).")
        var qps: Double?

        @Option(name: .customLong("latency-ms"), help: "Fixed delay added to every response, in milliseconds (default: the scenario's, 0 for --generate).")
        var latencyMS: Int?

        @Option(name: .customLong("quirk"), help: ArgumentHelp(
            "Turn on a quirk of the real API on top of the scenario's own (repeatable).", valueName: "name"))
        var quirks: [Scenario.Quirk] = []

        @Option(help: ArgumentHelp(
            "Serve a recording made by run --record instead of a scenario; with --write-config, a configuration that replays it.",
            valueName: "dir"))
        var replay: String?

        func validate() throws {
            if generated.generate, scenario != nil { throw ValidationError("--generate and --scenario exclude each other") }
            if replay != nil, generated.generate || scenario != nil || !quirks.isEmpty || qps != nil || latencyMS != nil {
                throw ValidationError("--replay serves the recording as it was: it excludes --scenario, --generate, --quirk, --qps and --latency-ms")
            }
            if let qps, qps <= 0 { throw ValidationError("--qps must be positive") }
            if let latencyMS, latencyMS < 0 { throw ValidationError("--latency-ms must not be negative") }
        }

        func run() async throws {
            if let replay { return try await serveReplay(replay) }
            var chosen = generated.generate ? generated.scenario()
                : try scenario.map { try Scenario.load(path: $0) } ?? Scenario.bundled()
            if let qps { chosen.credentials = chosen.credentials.map { var c = $0; c.qps = qps; return c } }
            if let latencyMS { chosen.latencyMS = latencyMS }
            for quirk in quirks where !chosen.has(quirk) { chosen.quirks.append(quirk) }
            let loaded = chosen
            let simulator = CozeSimulator(scenario: loaded)
            let host = host, writeConfig = writeConfig
            try await simulator.run(host: host, port: port) { bound in
                let url = "http://\(host):\(bound)"
                print("coze simulator (\(loaded.name)) listening on \(url)")
                if let writeConfig {
                    let path = try? DemoSetup.writeConfig(for: loaded, baseURL: url, directory: writeConfig, includeOAuth: false)
                    print(path.map { "wrote \($0)" } ?? "could not write a config into \(writeConfig)")
                }
                fflush(nil)  // a parent reading a pipe (bench, scripts) needs the URL now, not at exit
            }
        }
    }
}

extension CozeAuditCommand.Simulate {
    /// `--replay DIR`: the recording's answers, to the secrets ``ReplayEngine`` derives for its credentials.
    func serveReplay(_ directory: String) async throws {
        let (manifest, exchanges) = try Recording.read(directory)
        var credentials = ReplayEngine.credentials(for: manifest, exchanges: exchanges)
        let privateKeys = writeConfig == nil ? [:] : try ReplayEngine.generateKeys(for: &credentials)
        let server = CozeSimulator(replay: ReplayEngine(manifest: manifest, exchanges: exchanges, credentials: credentials))
        let host = host, writeConfig = writeConfig, replayed = credentials
        try await server.run(host: host, port: port) { bound in
            let url = "http://\(host):\(bound)"
            print("coze replay of \(directory) (\(exchanges.count) exchanges, recorded \(manifest.recordedAt) from \(manifest.baseURLHost)) listening on \(url)")
            if let writeConfig {
                let path = try? DemoSetup.writeReplayConfig(replayed, privateKeys: privateKeys, baseURL: url, directory: writeConfig)
                print(path.map { "wrote \($0)" } ?? "could not write a config into \(writeConfig)")
            }
            fflush(nil)
        }
    }
}

/// `--quirk NAME`: an unknown name is a usage error that lists the valid ones.
extension Scenario.Quirk: ExpressibleByArgument {}
