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
    public var tuning: CrawlTuning

    public init(recorder: RunRecorder, concurrency: Int, progress: (any CrawlProgress)? = nil,
                logger: Logger = Logger(label: "coze-audit.crawler"), tuning: CrawlTuning = CrawlTuning()) {
        self.recorder = recorder
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.logger = logger
        self.tuning = tuning
    }

    /// Crawls all targets in parallel; returns the per-credential counters.
    public func crawl(_ targets: [CrawlTarget]) async throws -> [String: CrawlCounters] {
        if !tuning.parallelCredentials {
            var result: [String: CrawlCounters] = [:]
            for target in targets { result[target.name] = try await crawl(target) }
            return result
        }
        return try await withThrowingTaskGroup(of: (String, CrawlCounters).self) { group in
            for target in targets {
                group.addTask { (target.name, try await crawl(target)) }
            }
            var result: [String: CrawlCounters] = [:]
            for try await (name, counters) in group { result[name] = counters }
            return result
        }
    }

    func crawl(_ target: CrawlTarget) async throws -> CrawlCounters {
        let session = CrawlSession(target: target, recorder: recorder, progress: progress, logger: logger,
                                   transactionPerResource: tuning.transactionPerResource,
                                   skipEstablishedDenials: tuning.skipEstablishedDenials)
        guard try await session.identify() else { return await session.finish() }
        try await withThrowingTaskGroup(of: [CrawlJob].self) { group in
            // A stack, children first (depth-first): the jobs waiting stay bounded by the fan-out
            // of one path (workspaces + one workspace's bots + one bot's connectors), never by the
            // size of the tenant, and a listing's children start as soon as it answers.
            var pending: [CrawlJob] = [.voices, .workspaces]
            // Listings that wait until their endpoint is known to work or to be denied
            // (`CrawlSession.admit`): looked at again after every answer, and started anyway when
            // nothing else is left. At most the fan-out of the parents answered meanwhile.
            var waiting: [CrawlJob] = []
            var forced: [CrawlJob] = []
            var inFlight = 0
            while !pending.isEmpty || !waiting.isEmpty || !forced.isEmpty || inFlight > 0 {
                while inFlight < concurrency {
                    let job: CrawlJob
                    if let next = forced.popLast() {
                        job = next
                        _ = await session.admit(job, force: true)
                    } else if let next = pending.popLast() {
                        guard await session.admit(next) else {
                            waiting.append(next)
                            continue
                        }
                        job = next
                    } else {
                        break
                    }
                    inFlight += 1
                    group.addTask { try await session.perform(job) }
                }
                if inFlight == 0 {
                    // Only waiting listings are left: nothing can resolve their endpoint any more.
                    forced = waiting.reversed()
                    waiting = []
                    continue
                }
                if let children = try await group.next() {
                    inFlight -= 1
                    pending.append(contentsOf: children.reversed())
                    pending.append(contentsOf: waiting.reversed())
                    waiting = []
                }
            }
        }
        return await session.finish()
    }
}
