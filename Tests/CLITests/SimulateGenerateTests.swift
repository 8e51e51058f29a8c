import AsyncHTTPClient
import CozeAPI
import CozeAudit
import CozeSimulator
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `coze-audit simulate --generate …` as a user (and `bench`) starts it: a separate process that
/// serves exactly `Scenario.generate` for the seed, rate-limits per credential like the real API,
/// and writes a runnable configuration.
@Suite("simulate --generate", .serialized)
struct SimulateGenerateTests {
    /// Starts the simulator with `arguments`, waits for the config it writes, runs `body`, stops it.
    func withSimulator(_ arguments: [String], _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coze-audit-generate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let simulator = try CLIProcess(["simulate", "--port", "0", "--write-config", directory] + arguments, in: directory)
        let config = directory + "/coze-audit.yaml"
        // The process writes the config once it listens; generating a tenant takes a moment.
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: config) {
            try await Task.sleep(for: .milliseconds(50))
        }
        do {
            try #require(FileManager.default.fileExists(atPath: config), "the simulator wrote no config")
            try await body(directory)
        } catch {
            simulator.kill(SIGTERM)
            _ = await simulator.wait()
            throw error
        }
        simulator.kill(SIGTERM)
        let exit = await simulator.wait()
        #expect(exit.output.stdout.contains("listening on http://127.0.0.1:"), "\(exit.output.stdout)")
    }

    @Test("It serves Scenario.generate for the seed: an audit makes exactly the minimum requests of that tenant")
    func deterministicTenant() async throws {
        let expected = Scenario.generate(workspaces: 4, botsPerWorkspace: 3, conversationsPerBot: 70, voices: 5, seed: 11)
            .minimumAuditRequests()
        try await withSimulator(["--generate", "--workspaces", "4", "--bots-per-workspace", "3", "--conversations-per-bot", "70",
                                 "--voices", "5", "--seed", "11"]) { directory in
            let run = try await CLIRunner.run(["run", "--config", directory + "/coze-audit.yaml"], in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try await CLIRunner.run(["report", "--format", "json", "--config", directory + "/coze-audit.yaml"], in: directory)
            let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            let credentials = json?["credentials"] as? [[String: Any]] ?? []
            var requests: [String: Int] = [:]
            for credential in credentials { requests[credential["name"] as? String ?? "?"] = credential["requests"] as? Int }
            #expect(requests == expected)
        }
    }

    @Test("--qps: over the per-credential budget the answer is HTTP 429 with code 4013; other credentials are not affected")
    func rateLimit() async throws {
        // 0.01 requests/s: one token, refilled after 100 s, so the second request is over the budget
        // however slowly this machine sends it (no assertion on how fast requests follow each other).
        try await withSimulator(["--generate", "--workspaces", "1", "--qps", "0.01"]) { directory in
            let scenario = Scenario.generate(workspaces: 1, botsPerWorkspace: 0, conversationsPerBot: 0, voices: 0, seed: 1)
            let url = try String(contentsOfFile: directory + "/coze-audit.yaml", encoding: .utf8)
                .split(separator: "\n").first { $0.hasPrefix("base_url: ") }.map { String($0.dropFirst("base_url: ".count)) } ?? ""
            let http = CozeHTTPClient.make()
            defer { _ = http.shutdown() }
            func client(_ name: String) -> CozeClient {
                let token = scenario.credentials.first { $0.name == name }?.token ?? ""
                return CozeClient(baseURL: url, auth: PATAuth(token: token), httpClient: http,
                                  options: CozeClientOptions(retry: CozeRetryPolicy(maxAttempts: 1)))
            }
            let personal = client("personal-pat")
            var outcomes: [String] = []
            for _ in 0..<2 {
                do {
                    _ = try await personal.currentUser()
                    outcomes.append("ok")
                } catch let error as CozeAPIError {
                    outcomes.append("\(error.httpStatus ?? 0)/\(error.code ?? 0)")
                }
            }
            #expect(outcomes == ["ok", "429/4013"])
            _ = try await client("enterprise-pat").currentUser()
        }
    }

    @Test("--generate excludes --scenario; negative sizes and --qps 0 are usage errors")
    func usage() async throws {
        for arguments in [["--generate", "--scenario", "x.json"], ["--generate", "--workspaces", "-1"], ["--qps", "0"]] {
            let output = try await CLIRunner.run(["simulate", "--port", "0"] + arguments)
            // Refused before anything starts: a usage error is exit 2 (docs/product.md §2).
            #expect(output.status == 2, "\(arguments): \(output.status) \(output.stderr)")
            #expect(!output.stdout.contains("listening"))
        }
    }
}
