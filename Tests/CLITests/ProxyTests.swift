import CozeSimulator
import Foundation
import Testing

/// Cron hosts reach the internet through `HTTPS_PROXY`/`HTTP_PROXY`: the built binary runs whole
/// audits through a real local forward proxy (`ForwardProxy`), `NO_PROXY` bypasses it, `check`
/// names it without its credentials, and a proxy variable that cannot be used stops the run
/// before anything is written. The simulator speaks plain http, so `HTTP_PROXY` is the variable
/// that applies; AsyncHTTPClient tunnels through the proxy with CONNECT as it does for https.
@Suite("proxies", .serialized)
struct ProxyTests {
    /// A name only the proxy resolves: a request that bypassed the proxy could not reach the simulator.
    static let proxiedHost = "coze-sim.invalid"

    @Test("a run through HTTP_PROXY is complete, and every request the simulator answered went through the proxy")
    func runThroughProxy() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            let proxy = try ForwardProxy(hosts: [Self.proxiedHost: "127.0.0.1"])
            defer { proxy.stop() }
            let port = try #require(fixture.simulator.port)
            try fixture.writeConfig(baseURL: "http://\(Self.proxiedHost):\(port)")
            fixture.simulator.clearRequestLog()

            let run = try await fixture.cli(["run"], environment: ["HTTP_PROXY": proxy.url])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            let answered = fixture.simulator.requestLog()
            #expect(answered.count > 10, "the run crawled: \(answered.count) requests")
            // Each request line the proxy relayed, against each request the simulator answered.
            #expect(proxy.requests.sorted() == answered.map(\.endpoint).sorted(),
                    "proxy: \(proxy.requests.count) requests, simulator: \(answered.count)")
            #expect(!proxy.tunnels.isEmpty)
            #expect(proxy.tunnels.allSatisfy { $0.target == "\(Self.proxiedHost):\(port)" && $0.proxyAuthorization == nil },
                    "\(proxy.tunnels)")
            #expect(proxy.refused.isEmpty)

            let json = try await fixture.reportJSON()
            #expect((json["run"] as? [String: Any])?["status"] as? String == "complete")
        }
    }

    @Test("check names the proxy it used and masks the credentials in its URL, which still reach the proxy")
    func checkNamesProxy() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            let proxy = try ForwardProxy(hosts: [Self.proxiedHost: "127.0.0.1"])
            defer { proxy.stop() }
            let port = try #require(fixture.simulator.port)
            try fixture.writeConfig(baseURL: "http://\(Self.proxiedHost):\(port)")
            let proxyURL = "http://audit-user:pr0xy-s3cret@127.0.0.1:\(proxy.port)"

            let check = try await fixture.cli(["check"], environment: ["http_proxy": proxyURL])
            // The bundled scenario has an expired PAT: check fails on it (exit 3) after checking them all.
            #expect(check.status == 3, "\(check.stdout)\n\(check.stderr)")
            #expect(check.stdout.contains("connection: via proxy http://***@127.0.0.1:\(proxy.port) (http_proxy)\n"), "\(check.stdout)")
            #expect(check.stdout.contains("ok   personal-pat"), "credentials were checked through the proxy: \(check.stdout)")
            for secret in ["pr0xy-s3cret", "audit-user"] {
                #expect(!check.stdout.contains(secret) && !check.stderr.contains(secret))
            }
            let basic = "Basic " + Data("audit-user:pr0xy-s3cret".utf8).base64EncodedString()
            #expect(!proxy.tunnels.isEmpty && proxy.tunnels.allSatisfy { $0.proxyAuthorization == basic }, "\(proxy.tunnels)")
            #expect(!proxy.requests.isEmpty)
        }
    }

    @Test("NO_PROXY listing the simulator's address bypasses the proxy; without it, loopback goes through the proxy too")
    func noProxyBypass() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            let proxy = try ForwardProxy()
            defer { proxy.stop() }
            let port = try #require(fixture.simulator.port)

            let bypass = ["HTTP_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"]
            let direct = try await fixture.cli(["run"], environment: bypass)
            #expect(direct.status == 0, "\(direct.stdout)\n\(direct.stderr)")
            #expect(!fixture.simulator.requestLog().isEmpty)
            #expect(proxy.tunnels.isEmpty && proxy.requests.isEmpty, "\(proxy.tunnels)")
            let check = try await fixture.cli(["check"], environment: bypass)
            #expect(check.stdout.contains("connection: direct: NO_PROXY lists 127.0.0.1 (not via \(proxy.url))\n"), "\(check.stdout)")
            #expect(proxy.tunnels.isEmpty)

            // Control: the same run without NO_PROXY is proxied, loopback address and all.
            fixture.simulator.clearRequestLog()
            let proxied = try await fixture.cli(["run"], environment: ["HTTP_PROXY": proxy.url])
            #expect(proxied.status == 0, "\(proxied.stdout)\n\(proxied.stderr)")
            #expect(proxy.tunnels.map(\.target).allSatisfy { $0 == "127.0.0.1:\(port)" })
            #expect(!proxy.requests.isEmpty && proxy.requests.count == fixture.simulator.requestLog().count)
        }
    }

    @Test("a proxy variable that cannot be used stops run and check with exit 2 and one line, before anything is written")
    func unusableProxyRefused() async throws {
        try await withFixture(try Scenario.bundled()) { fixture in
            for arguments in [["run"], ["check"]] {
                let output = try await fixture.cli(arguments, environment: ["HTTP_PROXY": "https://user:pw@127.0.0.1:3128"])
                #expect(output.status == 2, "\(arguments): \(output.stderr)")
                #expect(output.stderr == "coze-audit: HTTP_PROXY cannot be used: a proxy reached over TLS (https://) is not supported; use http://host:port\n",
                        "\(arguments): \(output.stderr)")
                #expect(!output.stderr.contains("pw"))
            }
            #expect(fixture.simulator.requestLog().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
        }
    }
}
