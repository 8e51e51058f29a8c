import CozeAPI

/// A credential ready to crawl: its row id in this run and a client that authenticates as it.
public struct CrawlTarget: Sendable {
    public var credentialID: Int64
    public var name: String
    public var side: Side
    public var client: CozeClient

    public init(credentialID: Int64, name: String, side: Side, client: CozeClient) {
        self.credentialID = credentialID
        self.name = name
        self.side = side
        self.client = client
    }
}

/// Live counters for one credential, for the progress line and the run's request totals.
public struct CrawlCounters: Sendable, Equatable {
    public var requests = 0
    public var failedRequests = 0
    public var resources = 0
    public var errors = 0
    public var listingsDone = 0
    public init() {}
}

/// Receives progress as the crawl goes; the CLI draws it on a TTY and ignores it otherwise.
public protocol CrawlProgress: Sendable {
    func update(credential: String, counters: CrawlCounters) async
}
