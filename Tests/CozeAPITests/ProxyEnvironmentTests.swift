import AsyncHTTPClient
@testable import CozeAPI
import Testing

/// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` as cron hosts set them: which proxy a
/// base URL goes through, what `NO_PROXY` bypasses (and what it does not), and that a proxy's
/// credentials are used but never shown.
@Suite("Proxy environment")
struct ProxyEnvironmentTests {
    func route(_ baseURL: String, _ environment: [String: String]) -> CozeProxyRoute {
        CozeProxyEnvironment(environment).route(for: baseURL)
    }

    func proxy(_ baseURL: String, _ environment: [String: String]) -> CozeProxy? {
        route(baseURL, environment).proxy
    }

    @Test("no variable: direct; https URLs use HTTPS_PROXY, http URLs HTTP_PROXY, both fall back to ALL_PROXY")
    func schemes() {
        #expect(route("https://api.coze.cn", [:]) == .direct)
        #expect(route("https://api.coze.cn", ["HTTP_PROXY": "http://p:3128"]) == .direct, "HTTP_PROXY is not for https URLs")
        #expect(route("http://127.0.0.1:8080", ["HTTPS_PROXY": "http://p:3128"]) == .direct, "HTTPS_PROXY is not for http URLs")

        let env = ["HTTPS_PROXY": "http://secure.example:3128", "HTTP_PROXY": "http://plain.example:8080", "ALL_PROXY": "socks5://all.example"]
        #expect(proxy("https://api.coze.cn", env) == CozeProxy(kind: .http, host: "secure.example", port: 3128, variable: "HTTPS_PROXY"))
        #expect(proxy("http://api.coze.cn", env) == CozeProxy(kind: .http, host: "plain.example", port: 8080, variable: "HTTP_PROXY"))
        #expect(proxy("https://api.coze.cn", ["ALL_PROXY": "socks5://all.example"])
                == CozeProxy(kind: .socks5, host: "all.example", port: 1080, variable: "ALL_PROXY"))
    }

    @Test("lower-case spellings are honoured and win over upper-case ones; an empty value counts as unset")
    func spellings() {
        #expect(proxy("https://api.coze.cn", ["https_proxy": "http://lower:1"])?.host == "lower")
        #expect(proxy("https://api.coze.cn", ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"])?.host == "lower")
        #expect(proxy("https://api.coze.cn", ["https_proxy": "", "HTTPS_PROXY": "http://upper:2"])?.variable == "HTTPS_PROXY")
        #expect(proxy("http://api.coze.cn", ["http_proxy": "http://lower:1"])?.variable == "http_proxy")
        #expect(proxy("http://api.coze.cn", ["all_proxy": "http://lower:1"])?.variable == "all_proxy")
        #expect(route("https://api.coze.cn", ["HTTPS_PROXY": "  "]) == .direct)
        let bypassed = route("https://api.coze.cn", ["HTTPS_PROXY": "http://p:1", "no_proxy": "coze.cn"])
        #expect(bypassed == .bypassed(variable: "no_proxy", entry: "coze.cn", proxy: CozeProxy(kind: .http, host: "p", port: 1, variable: "HTTPS_PROXY")))
    }

    @Test("proxy values: no scheme means http, default ports, IPv6 hosts, SOCKS5 spellings")
    func values() {
        func parsed(_ value: String) -> CozeProxy? { proxy("https://api.coze.cn", ["HTTPS_PROXY": value]) }
        #expect(parsed("proxy.example:3128") == CozeProxy(kind: .http, host: "proxy.example", port: 3128, variable: "HTTPS_PROXY"))
        #expect(parsed("http://proxy.example")?.port == 80)
        #expect(parsed("http://proxy.example/")?.port == 80)
        #expect(parsed("HTTP://Proxy.Example:3128")?.host == "proxy.example")
        #expect(parsed("http://[::1]:3128") == CozeProxy(kind: .http, host: "::1", port: 3128, variable: "HTTPS_PROXY"))
        #expect(parsed("http://[::1]:3128")?.display == "http://[::1]:3128")
        for value in ["socks5://s:1081", "socks5h://s:1081", "socks://s:1081"] {
            #expect(parsed(value) == CozeProxy(kind: .socks5, host: "s", port: 1081, variable: "HTTPS_PROXY"), "\(value)")
        }
        #expect(parsed("socks5://s")?.port == 1080)
    }

    @Test("credentials in the proxy URL are sent as Basic proxy authorization and masked wherever the proxy is shown")
    func credentials() throws {
        let env = ["HTTPS_PROXY": "http://alice:s%40cret@proxy.example:3128"]
        let found = try #require(proxy("https://api.coze.cn", env))
        #expect(found.username == "alice")
        #expect(found.password == "s@cret", "percent-decoded")
        #expect(found.configuration == .server(host: "proxy.example", port: 3128,
                                               authorization: .basic(username: "alice", password: "s@cret")))
        #expect(found.display == "http://***@proxy.example:3128")
        let text = route("https://api.coze.cn", env).text
        #expect(text == "via proxy http://***@proxy.example:3128 (HTTPS_PROXY)")
        #expect(!text.contains("alice") && !text.contains("cret"))
        let bypassed = route("https://api.coze.cn", env.merging(["NO_PROXY": "api.coze.cn"]) { $1 }).text
        #expect(!bypassed.contains("alice") && !bypassed.contains("cret"), "\(bypassed)")
        #expect(CozeProxy(kind: .http, host: "p", port: 1, variable: "HTTP_PROXY").configuration == .server(host: "p", port: 1))
        #expect(CozeProxy(kind: .socks5, host: "s", port: 1080, variable: "ALL_PROXY").configuration == .socksServer(host: "s", port: 1080))
    }

    @Test("a proxy that cannot be used is reported, never silently skipped, and the problem never repeats the value")
    func unusable() {
        let cases: [(String, String)] = [
            ("https://proxy.example:3128", "a proxy reached over TLS (https://) is not supported; use http://host:port"),
            ("ftp://proxy.example:21", "unsupported proxy scheme ftp:// (use http:// or socks5://)"),
            ("socks4://proxy.example", "unsupported proxy scheme socks4:// (use http:// or socks5://)"),
            ("socks5://user:pw@proxy.example", "SOCKS proxies with a user name and password are not supported"),
            ("http://proxy.example:3128/some/path", "a proxy URL has no path (expected http://host:port)"),
            ("http://:3128", "the proxy URL has no host"),
            ("http://proxy.example:99999", "the proxy port is out of range"),
            ("http://pro xy:1", "not a proxy URL (expected http://host:port)"),
        ]
        for (value, problem) in cases {
            let result = route("https://api.coze.cn", ["https_proxy": value])
            #expect(result == .unusable(variable: "https_proxy", problem: problem), "\(value)")
            #expect(result.proxy == nil)
        }
        #expect(!route("https://api.coze.cn", ["HTTPS_PROXY": "socks5://user:pw@p"]).text.contains("pw"))
    }

    @Test("NO_PROXY: hosts match themselves and their subdomains, leading dot and *. too, never a partial label")
    func noProxyNames() {
        func bypasses(_ noProxy: String, _ baseURL: String) -> Bool {
            if case .bypassed = route(baseURL, ["HTTPS_PROXY": "http://p:1", "HTTP_PROXY": "http://p:1", "NO_PROXY": noProxy]) { return true }
            return false
        }
        #expect(bypasses("coze.cn", "https://api.coze.cn"))
        #expect(bypasses("coze.cn", "https://coze.cn"))
        #expect(bypasses(".coze.cn", "https://api.coze.cn"))
        #expect(bypasses("*.coze.cn", "https://api.coze.cn"))
        #expect(bypasses("API.COZE.CN", "https://api.coze.cn/"))
        #expect(bypasses("api.coze.cn.", "https://api.coze.cn"))
        #expect(bypasses("example.com, api.coze.cn", "https://api.coze.cn"))
        #expect(bypasses("example.com api.coze.cn", "https://api.coze.cn"))
        #expect(bypasses("*", "https://api.coze.cn"))
        #expect(!bypasses("oze.cn", "https://api.coze.cn"), "a suffix match is whole labels only")
        #expect(!bypasses("api.coze.com", "https://api.coze.cn"))
        #expect(!bypasses("", "https://api.coze.cn"))
        #expect(!bypasses(",,", "https://api.coze.cn"))
    }

    @Test("NO_PROXY: addresses match exactly, ports narrow an entry, loopback is bypassed only when listed")
    func noProxyAddressesAndPorts() {
        func bypasses(_ noProxy: String?, _ baseURL: String) -> Bool {
            var env = ["HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1"]
            env["NO_PROXY"] = noProxy
            if case .bypassed = route(baseURL, env) { return true }
            return false
        }
        // Loopback goes through the proxy unless NO_PROXY says otherwise.
        #expect(!bypasses(nil, "http://127.0.0.1:8080"))
        #expect(!bypasses(nil, "http://localhost:8080"))
        #expect(!bypasses("localhost", "http://127.0.0.1:8080"), "a name does not cover an address")
        #expect(bypasses("127.0.0.1", "http://127.0.0.1:8080"))
        #expect(bypasses("localhost", "http://localhost:8080"))
        #expect(!bypasses("0.0.1", "http://127.0.0.1:8080"), "no suffix matching of addresses")
        #expect(!bypasses("127.0.0", "http://127.0.0.1:8080"))
        #expect(bypasses("::1", "http://[::1]:8080"))
        #expect(bypasses("[::1]", "http://[::1]:8080"))
        #expect(bypasses("[::1]:8080", "http://[::1]:8080"))
        #expect(!bypasses("[::1]:9090", "http://[::1]:8080"))
        #expect(bypasses("127.0.0.1:8080", "http://127.0.0.1:8080"))
        #expect(!bypasses("127.0.0.1:9090", "http://127.0.0.1:8080"))
        #expect(bypasses("api.coze.cn:443", "https://api.coze.cn"), "the scheme's default port")
        #expect(!bypasses("api.coze.cn:80", "https://api.coze.cn"))
    }

    @Test("the text check prints: via, direct, bypassed")
    func texts() {
        #expect(route("https://api.coze.cn", [:]).text == "direct (no proxy variable set)")
        #expect(route("http://127.0.0.1:9", ["HTTP_PROXY": "http://127.0.0.1:3128"]).text == "via proxy http://127.0.0.1:3128 (HTTP_PROXY)")
        #expect(route("http://127.0.0.1:9", ["HTTP_PROXY": "http://127.0.0.1:3128", "no_proxy": "localhost,127.0.0.1"]).text
                == "direct: no_proxy lists 127.0.0.1 (not via http://127.0.0.1:3128)")
        #expect(route("https://api.coze.cn", ["HTTPS_PROXY": "https://p"]).text
                == "HTTPS_PROXY cannot be used: a proxy reached over TLS (https://) is not supported; use http://host:port")
    }

    @Test("the factory routes by the base URL it is given; without one (demo, bench, tests), directly")
    func factoryRoute() {
        let env = ["HTTPS_PROXY": "http://p:3128"]
        #expect(CozeHTTPClient.route(baseURL: "https://api.coze.cn", environment: env)?.proxy?.host == "p")
        #expect(CozeHTTPClient.route(baseURL: "https://api.coze.cn", environment: [:]) == .direct)
        #expect(CozeHTTPClient.route(environment: env) == nil)
    }
}
