import AsyncHTTPClient
import CozeAPI
import Foundation
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

    public struct Result: Sendable {
        public var runID: Int64
        public var status: RunStatus
        public var reason: String?
    }

    public func run() async throws -> Result {
        let lock = try RunLock(databasePath: config.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try AuditStore(path: config.databasePath)
        let recorder = try RunRecorder.begin(store: store, baseURL: config.baseURL, startedAt: now())
        do {
            let result = try await crawlAndFinish(store: store, recorder: recorder)
            return result
        } catch {
            let reason = "failed: \(StoreError.explain(error))"
            try? recorder.finish(status: .failed, reason: reason, finishedAt: now())
            throw error
        }
    }

    private func crawlAndFinish(store: AuditStore, recorder: RunRecorder) async throws -> Result {
        var targets: [CrawlTarget] = []
        let httpClient = CozeHTTPClient.make(connectionsPerHost: config.concurrency * max(1, credentials.count))
        do {
            for credential in credentials {
                let id = try recorder.addCredential(name: credential.name, side: credential.config.side.rawValue,
                                                    auth: credential.config.auth.kind, fingerprint: credential.fingerprint)
                let client = CozeClient(baseURL: config.baseURL, auth: credential.auth, httpClient: httpClient,
                                        options: clientOptions, logger: logger)
                targets.append(CrawlTarget(credentialID: id, name: credential.name, side: credential.config.side, client: client))
            }
            let crawler = Crawler(recorder: recorder, concurrency: config.concurrency, progress: progress, logger: logger)
            _ = try await crawler.crawl(targets)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        let runID = recorder.runID
        let reason = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT c.name || ': ' || l.endpoint || ' (' || count(*) || 'x, last: ' ||
                  COALESCE('HTTP ' || max(l.http_status) || ' ', '') || COALESCE('code ' || max(l.code) || ' ', '') || COALESCE(max(l.message), '') || ')'
                FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND l.status = 'error'
                GROUP BY c.name, l.endpoint ORDER BY c.name, l.endpoint
                """, arguments: [runID])
        }
        try FindingsEngine.compute(store: store, runID: runID, accept: config.accept, on: now(),
                                   parameters: ["window_days": Int64(config.strandedWindowDays)])
        let status: RunStatus = reason.isEmpty ? .complete : .partial
        let text = reason.isEmpty ? nil : "could not list: " + reason.joined(separator: "; ")
        try recorder.finish(status: status, reason: text, finishedAt: now())
        return Result(runID: runID, status: status, reason: text)
    }
}
