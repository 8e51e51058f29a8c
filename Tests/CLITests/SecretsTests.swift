import AsyncHTTPClient
import CozeAPI
import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

/// No token byte reaches the database, the reports or the logs; the fingerprints do (positive control).
@Suite("secrets", .serialized)
struct SecretsTests {
    @Test("tokens never appear in the database, reports or trace logs; fingerprints do")
    func noTokenAnywhere() async throws {
        let scenario = try Scenario.bundled()
        try await withFixture(scenario) { fixture in
            let env = ["COZE_AUDIT_LOG_LEVEL": "trace"]
            var outputs: [String] = []
            var runLog = ""
            var runRequests = 0
            for arguments in [["run", "--verbose"], ["report", "--format", "json"], ["report", "--format", "html"],
                              ["report", "--format", "csv"], ["report", "--format", "junit"], ["report"], ["check"], ["runs"],
                              ["query", "--sql", "SELECT * FROM run_credential"], ["query", "--sql", "SELECT * FROM listing"]] {
                let output = try await fixture.cli(arguments, environment: env)
                // Every command did its work (check fails on the expired PAT: exit 3), so the search below
                // covers real outputs, not usage errors.
                #expect(output.status == (arguments == ["check"] ? 3 : 0), "\(arguments): \(output.stderr)")
                if arguments.first == "run" {
                    runLog = output.stderr
                    runRequests = fixture.simulator.requestLog().count
                }
                outputs.append(output.stdout)
                outputs.append(output.stderr)
            }
            // The logs searched were produced: one debug line per request of the run.
            let requestLines = runLog.split(separator: "\n").filter { $0.contains(" debug ") && $0.contains("coze request") }
            #expect(runRequests > 0 && requestLines.count == runRequests, "\(requestLines.count) log lines, \(runRequests) requests")
            let files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory)
                .filter { $0.hasPrefix("coze-audit.sqlite") }
            #expect(files.contains("coze-audit.sqlite"))
            let database = try files.map { try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/" + $0)) }
            let text = outputs.joined(separator: "\n")
            for credential in scenario.credentials {
                let token = Data(credential.token.utf8)
                #expect(!text.contains(credential.token), "\(credential.name)'s token is in an output")
                #expect(!database.contains { $0.range(of: token) != nil }, "\(credential.name)'s token is in the database")
            }
            // Positive control: the same search finds each credential's fingerprint.
            let json = try await fixture.reportJSON()
            let fingerprints = (json["credentials"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String }
            #expect(fingerprints.count == scenario.credentials.count)
            for fingerprint in fingerprints {
                #expect(text.contains(fingerprint))
                #expect(database.contains { $0.range(of: Data(fingerprint.utf8)) != nil })
            }
        }
    }

    /// The device-code login a user does with `coze-audit login`, approved in the simulator at once.
    static func deviceLogin(clientID: String, fixture: AuditFixture, tokenFile: String) async throws {
        let http = CozeHTTPClient.make()
        do {
            let login = DeviceLogin(baseURL: fixture.baseURL, clientID: clientID, httpClient: http, sleeper: RecordingSleeper())
            let authorization = try await login.start()
            #expect(fixture.simulator.approveDeviceCode(userCode: authorization.userCode))
            try OAuthTokenFile.write(try await login.waitForToken(authorization), to: tokenFile)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// Every byte string in `data` that looks like a token the simulator issues (JWT app, OAuth access, refresh).
    static func issuedTokens(in data: Data) -> Set<String> {
        let text = String(decoding: data, as: UTF8.self)
        return Set(text.matches(of: /cz[sur]_[A-Za-z0-9]{20,}/).map { String($0.output) })
    }

    @Test("JWT private key bytes and OAuth access and refresh tokens never appear in the database, reports, logs or errors; fingerprints do")
    func noKeyOrOAuthTokenAnywhere() async throws {
        let scenario = try Scenario.bundled()
        try await withFixture(scenario, credentials: ["personal-pat"]) { fixture in
            let fm = FileManager.default
            try fm.createDirectory(atPath: fixture.directory + "/keys", withIntermediateDirectories: true)
            let keyFile = fixture.directory + "/keys/app.pem"
            try Data(DemoAppKey.privateKeyPEM.utf8).write(to: URL(fileURLWithPath: keyFile))
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
            let tokenFile = fixture.directory + "/secrets/enterprise-user.json"
            try await Self.deviceLogin(clientID: "1180000000000000001", fixture: fixture, tokenFile: tokenFile)
            let loggedIn = try Data(contentsOf: URL(fileURLWithPath: tokenFile))
            // An authorized app, an app the token endpoint refuses (its error goes through every output), an OAuth user.
            var yaml = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            for (name, clientID) in [("enterprise-app", "1170000000000000001"), ("legacy-enterprise-app", "1170000000000000003")] {
                yaml += """
                      - name: \(name)
                        side: enterprise
                        jwt:
                          client_id: "\(clientID)"
                          key_id: "\(DemoAppKey.keyID)"
                          private_key_file: keys/app.pem
                          enterprise_id: "volcano_2105850123"

                    """
            }
            yaml += """
                  - name: enterprise-user
                    side: enterprise
                    oauth:
                      client_id: "1180000000000000001"
                      token_file: secrets/enterprise-user.json

                """
            try yaml.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)

            let env = ["COZE_AUDIT_LOG_LEVEL": "trace"]
            var outputs: [String] = []
            var runLog = ""
            for arguments in [["check"], ["run", "--verbose"], ["report", "--format", "json"], ["report", "--format", "html"],
                              ["report", "--format", "csv"], ["report", "--format", "junit"], ["report"], ["runs"],
                              ["query", "--sql", "SELECT * FROM run_credential"], ["query", "--sql", "SELECT * FROM listing"],
                              ["query", "--sql", "SELECT * FROM request_failure"], ["query", "--sql", "SELECT * FROM sighting"]] {
                let output = try await fixture.cli(arguments, environment: env)
                // check fails on the refused app (exit 3); everything else did its work.
                #expect(output.status == (arguments == ["check"] ? 3 : 0), "\(arguments): \(output.stderr)")
                if arguments.first == "run" { runLog = output.stderr }
                outputs.append(output.stdout)
                outputs.append(output.stderr)
            }
            // The logs searched were produced, token requests included.
            #expect(runLog.split(separator: "\n").filter { $0.contains(" debug ") && $0.contains("coze request") }.count >= 10)
            let text = outputs.joined(separator: "\n")
            let database = try fm.contentsOfDirectory(atPath: fixture.directory).filter { $0.hasPrefix("coze-audit.sqlite") }
                .map { try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/" + $0)) }
            #expect(!database.isEmpty)

            // The private key: every base64 line of the PEM body, and its raw DER bytes.
            let pemLines = DemoAppKey.privateKeyPEM.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 32 }
            let der = try #require(Data(base64Encoded: pemLines.joined()))
            let derWindow = der.subdata(in: 64..<128)
            #expect(pemLines.count > 10)
            for line in pemLines {
                #expect(!text.contains(line), "a line of the private key is in an output")
                #expect(!database.contains { $0.range(of: Data(line.utf8)) != nil }, "a line of the private key is in the database")
            }
            #expect(!database.contains { $0.range(of: derWindow) != nil }, "raw private key bytes are in the database")

            // OAuth and JWT-issued tokens: the ones in the token file (before and after the run) and any token-shaped string.
            let current = try Data(contentsOf: URL(fileURLWithPath: tokenFile))
            let fileTokens = Self.issuedTokens(in: loggedIn).union(Self.issuedTokens(in: current))
            // Positive control: the search finds the access and refresh tokens in the token file itself.
            #expect(fileTokens.contains { $0.hasPrefix("czu_") } && fileTokens.contains { $0.hasPrefix("czr_") })
            #expect(Self.issuedTokens(in: Data(text.utf8)).isEmpty, "\(Self.issuedTokens(in: Data(text.utf8)))")
            for data in database { #expect(Self.issuedTokens(in: data).isEmpty) }
            for token in fileTokens { #expect(!text.contains(token)) }
            #expect(!text.contains(scenario.credentials[0].token))

            // Positive control: the same searches find each credential's fingerprint.
            let json = try await fixture.reportJSON()
            let credentials = json["credentials"] as? [[String: Any]] ?? []
            #expect(credentials.compactMap { $0["name"] as? String }.sorted()
                == ["enterprise-app", "enterprise-user", "legacy-enterprise-app", "personal-pat"])
            for fingerprint in credentials.compactMap({ $0["fingerprint"] as? String }) {
                #expect(text.contains(fingerprint))
                #expect(database.contains { $0.range(of: Data(fingerprint.utf8)) != nil })
            }
            // The refused app's error did reach the outputs (so the search above covered an error path).
            #expect(text.contains("legacy-enterprise-app"))
            #expect(fixture.simulator.requestLog().contains { $0.credential == "enterprise-user" && $0.code == 0 })
        }
    }
}
