import AsyncHTTPClient
import Foundation

/// A forward proxy taken from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, each
/// also lower-case), as cron hosts that reach the internet only through a proxy set it.
///
/// AsyncHTTPClient talks to an HTTP proxy with `CONNECT host:port` — also for plain `http://`
/// base URLs — and, for `https://`, then speaks TLS to the Coze host through that tunnel.
/// SOCKS5 proxies (`socks5://`, `socks5h://`) resolve the Coze host name on the proxy's side.
public struct CozeProxy: Sendable, Equatable {
    public enum Kind: String, Sendable { case http, socks5 }

    public var kind: Kind
    public var host: String
    public var port: Int
    /// Basic credentials for the proxy (`http://user:pass@proxy:3128`); never printed.
    public var username: String?
    public var password: String?
    /// The variable the proxy came from, as spelled in the environment (`HTTPS_PROXY`, `http_proxy`…).
    public var variable: String

    /// `http://proxy.example:3128`, or `http://***@proxy.example:3128` when the variable holds
    /// credentials: the user name and password are never shown.
    public var display: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(kind.rawValue)://\(username != nil ? "***@" : "")\(shownHost):\(port)"
    }

    /// The proxy as AsyncHTTPClient wants it.
    public var configuration: HTTPClient.Configuration.Proxy {
        switch kind {
        case .socks5:
            return .socksServer(host: host, port: port)
        case .http:
            let authorization = username.map { HTTPClient.Authorization.basic(username: $0, password: password ?? "") }
            return .server(host: host, port: port, authorization: authorization)
        }
    }
}

/// How requests to one base URL leave this machine, decided from the environment.
public enum CozeProxyRoute: Sendable, Equatable {
    /// Through this proxy.
    case proxy(CozeProxy)
    /// Directly: no proxy variable applies to the base URL's scheme.
    case direct
    /// Directly, because `NO_PROXY` (as spelled in `variable`) has an entry matching the host.
    case bypassed(variable: String, entry: String, proxy: CozeProxy)
    /// A proxy variable applies but cannot be used (a typo, `https://` to the proxy, SOCKS with a
    /// password): callers refuse to run rather than silently connect directly.
    case unusable(variable: String, problem: String)

    public var proxy: CozeProxy? {
        if case .proxy(let proxy) = self { return proxy }
        return nil
    }

    /// One line for people (`coze-audit check`); never holds the proxy's credentials.
    public var text: String {
        switch self {
        case .proxy(let proxy): "via proxy \(proxy.display) (\(proxy.variable))"
        case .direct: "direct (no proxy variable set)"
        case .bypassed(let variable, let entry, let proxy): "direct: \(variable) lists \(entry) (not via \(proxy.display))"
        case .unusable(let variable, let problem): "\(variable) cannot be used: \(problem)"
        }
    }
}

/// The proxy variables of an environment, parsed.
///
/// - `https://` base URLs use `HTTPS_PROXY`, `http://` ones `HTTP_PROXY`, both fall back to
///   `ALL_PROXY`; of each, the lower-case spelling wins when both are set (as curl and Python do);
///   an empty value counts as unset.
/// - A proxy value is `[http://|socks5://|socks5h://][user:pass@]host[:port]`; without a port,
///   80 for http and 1080 for SOCKS.
/// - `NO_PROXY` is a comma (or space) separated list: `*` (no proxy at all), host names, which
///   also match their subdomains (`example.com`, `.example.com` and `*.example.com` all match
///   `api.example.com` and `example.com`), IP addresses (exact), each optionally with `:port`.
///   Nothing is bypassed unless listed: `localhost` and `127.0.0.1` go through the proxy too unless
///   `NO_PROXY` names them.
public struct CozeProxyEnvironment: Sendable {
    let variables: [String: String]

    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        variables = environment
    }

    /// The route of requests to `baseURL` (scheme, host and port are what count).
    public func route(for baseURL: String) -> CozeProxyRoute {
        guard let target = Target(baseURL) else { return .direct }
        let names = target.scheme == "https" ? ["https_proxy", "all_proxy"] : ["http_proxy", "all_proxy"]
        guard let (variable, value) = names.lazy.compactMap(lookup).first else { return .direct }
        let proxy: CozeProxy
        switch Self.parseProxy(value, variable: variable) {
        case .success(let parsed): proxy = parsed
        case .failure(let problem): return .unusable(variable: variable, problem: problem.text)
        }
        if let (noProxyVariable, list) = lookup("no_proxy"), let entry = Self.noProxyEntry(matching: target, in: list) {
            return .bypassed(variable: noProxyVariable, entry: entry, proxy: proxy)
        }
        return .proxy(proxy)
    }

    /// The variable (lower-case spelling first) and its non-empty value.
    func lookup(_ lowercaseName: String) -> (String, String)? {
        for name in [lowercaseName, lowercaseName.uppercased()] {
            if let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (name, value) }
        }
        return nil
    }

    struct Problem: Error, Equatable { var text: String }

    /// Parses one proxy value; the problem text never repeats the value (it may hold a password).
    static func parseProxy(_ raw: String, variable: String) -> Result<CozeProxy, Problem> {
        let text = raw.contains("://") ? raw : "http://" + raw
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(Problem(text: "not a proxy URL (expected http://host:port)"))
        }
        let kind: CozeProxy.Kind
        switch scheme {
        case "http": kind = .http
        case "socks5", "socks5h", "socks": kind = .socks5
        case "https": return .failure(Problem(text: "a proxy reached over TLS (https://) is not supported; use http://host:port"))
        default: return .failure(Problem(text: "unsupported proxy scheme \(scheme):// (use http:// or socks5://)"))
        }
        guard let host = components.host.map(normalizedHost), !host.isEmpty else {
            return .failure(Problem(text: "the proxy URL has no host"))
        }
        if let path = components.percentEncodedPath.nilIfEmpty, path != "/" {
            return .failure(Problem(text: "a proxy URL has no path (expected \(scheme)://host:port)"))
        }
        if let port = components.port, !(1...65535).contains(port) {
            return .failure(Problem(text: "the proxy port is out of range"))
        }
        let username = components.user?.nilIfEmpty
        if kind == .socks5, username != nil {
            return .failure(Problem(text: "SOCKS proxies with a user name and password are not supported"))
        }
        return .success(CozeProxy(kind: kind, host: host, port: components.port ?? (kind == .http ? 80 : 1080),
                                  username: username, password: components.password, variable: variable))
    }

    /// The first `NO_PROXY` entry that matches the target, as written in the list.
    static func noProxyEntry(matching target: Target, in list: String) -> String? {
        let entries = list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        return entries.first { entry in
            guard let rule = NoProxyRule(entry) else { return false }
            return rule.matches(target)
        }
    }

    /// Lower-case, without IPv6 brackets or a trailing dot.
    static func normalizedHost(_ host: String) -> String {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// Scheme, host and port of a base URL.
    struct Target: Equatable {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: String) {
            guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
                  let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = components.host.map(CozeProxyEnvironment.normalizedHost), !host.isEmpty else { return nil }
            self.scheme = scheme
            self.host = host
            port = components.port ?? (scheme == "https" ? 443 : 80)
        }
    }

    /// One `NO_PROXY` entry.
    struct NoProxyRule {
        var host: String
        var port: Int?

        init?(_ raw: String) {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !entry.isEmpty else { return nil }
            var port: Int?
            if entry.hasPrefix("[") {
                // [::1] or [::1]:8080
                guard let close = entry.firstIndex(of: "]") else { return nil }
                let rest = entry[entry.index(after: close)...]
                if rest.hasPrefix(":") { port = Int(rest.dropFirst()) } else if !rest.isEmpty { return nil }
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                // host:port (more than one colon is a bare IPv6 address)
                guard let number = Int(entry[entry.index(after: colon)...]) else { return nil }
                port = number
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst(2) } else if entry.hasPrefix(".") { entry.removeFirst() }
            if entry.hasSuffix(".") { entry.removeLast() }
            guard !entry.isEmpty else { return nil }
            host = entry
            self.port = port
        }

        var isAddress: Bool { host == "*" || host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." } }

        func matches(_ target: Target) -> Bool {
            if host == "*" { return true }
            if let port, port != target.port { return false }
            if target.host == host { return true }
            // Domain suffixes only for names: "0.0.1" must not match "127.0.0.1".
            return !isAddress && target.host.hasSuffix("." + host)
        }
    }
}

extension StringProtocol {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : String(self) }
}
