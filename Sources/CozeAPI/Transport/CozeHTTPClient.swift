import AsyncHTTPClient
import Foundation
import NIOCore

/// The one way the project creates its `HTTPClient`, so every command gets the same transport
/// settings. The caller owns it and must `shutdown()` it on every path.
public enum CozeHTTPClient {
    /// - Parameters:
    ///   - connectionsPerHost: enough for every credential's concurrency at once (all
    ///     credentials talk to the same host; AHC's default of 8 would silently cap the crawl).
    ///   - baseURL: the API this client talks to, which decides the proxy (``CozeProxyEnvironment``);
    ///     nil = no proxy: the demo, the benchmark and the tests talk to a local simulator.
    ///   - environment: where the proxy variables are read.
    public static func make(connectionsPerHost: Int = 8, baseURL: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        // Our retry policy decides about retries; AHC's own connection retries would keep a
        // refused connection spinning until its connect timeout (10 s per request).
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connectionsPerHost))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.decompression = .disabled
        // An unusable proxy variable connects directly here; commands that crawl refuse it first
        // (`route(...).unusable`), so this only concerns library callers that did not ask.
        configuration.proxy = route(baseURL: baseURL, environment: environment)?.proxy?.configuration
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// How `make` routes requests to `baseURL`; nil when it is not known.
    public static func route(baseURL: String? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment) -> CozeProxyRoute? {
        guard let target = baseURL else { return nil }
        return CozeProxyEnvironment(environment).route(for: target)
    }
}
