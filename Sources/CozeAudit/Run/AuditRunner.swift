import AsyncHTTPClient
import CozeAPI
import Foundation
import GRDB
import Logging

/// One audit run, end to end: lock → open store → record run → crawl → findings → finish.
/// Everything that can be checked without writing (config, secrets) has been checked by the
/// caller before this starts.
public struct AuditRunner: Sendable {
    public var config: AuditConfig
    public var credentials: [ResolvedCredential]
    public var progress: (any CrawlProgress)?
    public var clientOptions: CozeClientOptions
    public var now: @Sendable () -> Date
    public var logger: Logger
    /// Opens the store for writing (tests simulate a full disk or a read-only file through it).
    public var openStore: @Sendable (String) throws -> AuditStore = { try AuditStore(path: $0) }
    /// Credentials in parallel and one transaction per page unless the benchmark asks for its baseline.
    public var tuning = CrawlTuning()
    /// Builds the per-credential limiter for a configured qps. Tests pass one that reads and
    /// advances the simulator's manual clock, so "the limiter keeps the crawl under the limit" is
    /// decided in virtual time, not by how fast the machine happens to be.
    public var makeRateLimiter: @Sendable (Double) -> CozeRateLimiter = { CozeRateLimiter(qps: $0) }
    /// Set by the `run` command's SIGTERM/SIGINT handlers, which also cancel the task running
    /// ``run()``: the crawl stops and the run is stored `failed` ("terminated by signal …").
    public var stop: RunStop?
    /// `run --record`: receives every HTTP exchange of every credential, token requests included.
    public var recording: ExchangeRecorder?

    public init(config: AuditConfig, credentials: [ResolvedCredential], progress: (any CrawlProgress)? = nil,
                clientOptions: CozeClientOptions = .init(), now: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "coze-audit.run")) {
        self.config = config
        self.credentials = credentials
        self.progress = progress
        self.clientOptions = clientOptions
        self.now = now
        self.logger = logger
    }

    /// The share of a configured `qps` the crawl uses: a server counting in fixed one-second windows
    /// can see a few more requests in one window than the average rate.
    public static let qpsMargin = 0.95

    public struct Result: Sendable {
        public var runID: Int64
        public var status: RunStatus
        public var reason: String?
        /// Wall time of the crawl (every listing of every credential, stored) and of the findings.
        public var crawlDuration: Duration = .zero
        public var findingsDuration: Duration = .zero
        /// One line per distinct cause of an incomplete run (``RunIntegrity``), for stderr.
        public var causes: [String] = []
        /// The run was stopped by a signal (or its task cancelled) and stored `failed`.
        public var terminated = false
        /// What `retention:` pruned after the run, or why it could not (the run itself is stored).
        public var retention: Retention.Result?
        public var retentionError: String?
    }

    public func run() async throws -> Result {
        let lock = try RunLock(databasePath: config.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try openStore(config.databasePath)
        let recorder: RunRecorder
        do {
            recorder = try RunRecorder.begin(store: store, baseURL: config.baseURL, startedAt: now())
        } catch {
            throw storeError(error)
        }
        var result: Result
        do {
            result = try await crawlAndFinish(store: store, recorder: recorder)
        } catch {
            if let reason = terminationReason() {
                // Stopped from outside: whatever the crawl stored stays, the run says why it ended,
                // and nothing is advised from a crawl cut short.
                try? recorder.finishTerminated(reason: reason, finishedAt: now())
                return Result(runID: recorder.runID, status: .failed, reason: reason, terminated: true)
            }
            let reason = "failed: \(StoreError.explain(error))"
            try? recorder.finish(status: .failed, reason: reason, finishedAt: now())
            throw storeError(error)
        }
        if let policy = config.retention {
            // Under the run's lock, after the run is stored: a failure here never changes the run.
            do {
                result.retention = try Retention.prune(store: store, policy: policy, now: now())
            } catch {
                result.retentionError = StoreError.explain(error)
            }
        }
        return result
    }

    /// Why the run is being stopped, when it is: a signal, or its task was cancelled.
    private func terminationReason() -> String? {
        if let signal = stop?.signal { return "terminated by signal \(signal) before the run finished" }
        return Task.isCancelled ? "terminated: the run was cancelled before it finished" : nil
    }

    /// A database error during the run (full disk, read-only file) becomes one line naming the file.
    private func storeError(_ error: any Error) -> any Error {
        error is DatabaseError ? StoreError.write(path: config.databasePath, underlying: error) : error
    }

    private func crawlAndFinish(store: AuditStore, recorder: RunRecorder) async throws -> Result {
        var targets: [CrawlTarget] = []
        let clock = ContinuousClock()
        let crawlStarted = clock.now
        var clientOptions = config.limits.apply(to: self.clientOptions, runStart: .now)
        // What earlier runs and `doctor` learned about this base URL (the page parameter of /v1/bots), shared
        // by every credential of this run.
        let learned = try LearnedBehaviour.load(store: store, baseURL: config.baseURL)
        let pageParameters = PageParameterMemory(learned: learned.pageParameters)
        clientOptions.pageParameters = pageParameters
        // Page sizes `doctor` found the server to refuse at the documented maximum.
        clientOptions.pageSizeLimits.merge(learned.pageSizeLimits) { min($0, $1) }
        // The proxy, if any, is the one the environment names for base_url (HTTPS_PROXY, NO_PROXY…).
        let httpClient = CozeHTTPClient.make(connectionsPerHost: config.concurrency * max(1, credentials.count),
                                             baseURL: config.baseURL)
        do {
            for credential in credentials {
                let id = try recorder.addCredential(name: credential.name, side: credential.config.side.rawValue,
                                                    auth: credential.config.auth.kind, fingerprint: credential.fingerprint)
                // One limiter per credential: the API's rate limit is per token, so credentials never slow each other.
                // A configured qps is never exceeded (5 % below it, for the server's window boundaries);
                // without one, the limiter learns the limit from throttled answers.
                var options = clientOptions
                if let recording { options.exchangeObserver = recording.observer }
                if let qps = config.qps {
                    if options.rateLimiter == nil { options.rateLimiter = makeRateLimiter(qps * Self.qpsMargin) }
                } else if options.rateLimiter == nil, options.adaptiveLimiter == nil {
                    options.adaptiveLimiter = CozeAdaptiveRateLimiter(sleeper: options.retry.sleeper)
                }
                let client = CozeClient(baseURL: config.baseURL, auth: credential.auth, httpClient: httpClient,
                                        options: options, logger: logger)
                targets.append(CrawlTarget(credentialID: id, name: credential.name, side: credential.config.side, client: client))
            }
            let crawler = Crawler(recorder: recorder, concurrency: config.concurrency, progress: progress, logger: logger,
                                  tuning: tuning)
            _ = try await crawler.crawl(targets)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        try Task.checkCancellation()
        let findingsStarted = clock.now
        let runID = recorder.runID
        try recorder.learn(baseURL: config.baseURL, LearnedBehaviour(pageParameters: pageParameters.learned).rows, at: now())
        let (status, text) = try RunIntegrity.verdict(store: store, runID: runID, baseURL: config.baseURL)
        // A failed run observed nothing it could prove: only the findings that come from the
        // configuration itself may stay (docs/evidence.md).
        try FindingsEngine.compute(store: store, runID: runID, accept: config.accept, on: now(),
                                   parameters: ["window_days": Int64(config.strandedWindowDays)],
                                   kinds: status == .failed ? FindingsEngine.configDerivedKinds : nil)
        let findingsFinished = clock.now
        let causes = try RunIntegrity.causeLines(store: store, runID: runID, baseURL: config.baseURL, status: status)
        try Task.checkCancellation()
        try recorder.finish(status: status, reason: text, finishedAt: now())
        return Result(runID: runID, status: status, reason: text, crawlDuration: findingsStarted - crawlStarted,
                      findingsDuration: findingsFinished - findingsStarted, causes: causes)
    }
}
