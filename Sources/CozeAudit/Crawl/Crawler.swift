import CozeAPI
import Foundation
import Logging

/// Lists every resource kind under every credential and streams each page into the store.
///
/// Structured concurrency only: one child task per credential, and within a credential a work
/// queue with at most `concurrency` listings in flight. API answers (4100, 4101, empty lists)
/// are recorded as observations; only listings that could not be answered make the run partial.
public struct Crawler: Sendable {
    public var recorder: RunRecorder
    public var concurrency: Int
    public var progress: (any CrawlProgress)?
    public var logger: Logger

    public init(recorder: RunRecorder, concurrency: Int, progress: (any CrawlProgress)? = nil,
                logger: Logger = Logger(label: "coze-audit.crawler")) {
        self.recorder = recorder
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.logger = logger
    }

    /// Crawls all targets in parallel; returns the per-credential counters.
    public func crawl(_ targets: [CrawlTarget]) async throws -> [String: CrawlCounters] {
        try await withThrowingTaskGroup(of: (String, CrawlCounters).self) { group in
            for target in targets {
                group.addTask { (target.name, try await crawl(target)) }
            }
            var result: [String: CrawlCounters] = [:]
            for try await (name, counters) in group { result[name] = counters }
            return result
        }
    }

    func crawl(_ target: CrawlTarget) async throws -> CrawlCounters {
        let session = CrawlSession(target: target, recorder: recorder, progress: progress, logger: logger)
        guard try await session.identify() else { return await session.finish() }
        try await withThrowingTaskGroup(of: [CrawlJob].self) { group in
            var pending: [CrawlJob] = [.workspaces, .voices]
            var inFlight = 0
            while !pending.isEmpty || inFlight > 0 {
                while inFlight < concurrency, !pending.isEmpty {
                    let job = pending.removeFirst()
                    inFlight += 1
                    group.addTask { try await session.perform(job) }
                }
                if let children = try await group.next() {
                    inFlight -= 1
                    pending.append(contentsOf: children)
                }
            }
        }
        return await session.finish()
    }
}
