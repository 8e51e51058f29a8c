import AsyncHTTPClient
import NIOCore

/// The one way the project creates its `HTTPClient`, so every command gets the same transport
/// settings. The caller owns it and must `shutdown()` it on every path.
public enum CozeHTTPClient {
    /// - Parameter connectionsPerHost: enough for every credential's concurrency at once (all
    ///   credentials talk to the same host; AHC's default of 8 would silently cap the crawl).
    public static func make(connectionsPerHost: Int = 8) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        // Our retry policy decides about retries; AHC's own connection retries would keep a
        // refused connection spinning until its connect timeout (10 s per request).
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connectionsPerHost))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
