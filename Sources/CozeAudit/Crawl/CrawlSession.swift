import CozeAPI
import Foundation
import Logging

/// The crawl of one credential: performs listings, writes pages, records outcomes, counts.
/// An actor only because its counters are shared by the credential's concurrent listings.
actor CrawlSession {
    let target: CrawlTarget
    let recorder: RunRecorder
    let progress: (any CrawlProgress)?
    let logger: Logger
    private var counters = CrawlCounters()
    private var flushedRequests = 0
    private var flushedFailures = 0

    init(target: CrawlTarget, recorder: RunRecorder, progress: (any CrawlProgress)?, logger: Logger) {
        self.target = target
        self.recorder = recorder
        self.progress = progress
        var logger = logger
        logger[metadataKey: "credential"] = "\(target.name)"
        self.logger = logger
    }

    /// Asks who the token acts as. Returns false when crawling further is pointless (the token
    /// is rejected, or the API could not be reached), after recording why.
    func identify() async throws -> Bool {
        let endpoint = "GET /v1/users/me"
        do {
            let user = try await target.client.currentUser()
            count(requests: 1)
            try await recorder.setCredentialStatus(target.credentialID, status: "ok", userID: user.userID, userName: user.userName)
            try await recordListing(endpoint: endpoint, kind: "user", status: .ok, pages: 1, items: 1)
            return true
        } catch let error as CozeAPIError {
            let status = Self.status(for: error)
            try await fail(error, endpoint: error.kind == .auth ? error.endpoint : endpoint, kind: "user", parentID: "", params: "")
            // The token endpoint refused the app (JWT / OAuth): nothing else can work.
            if error.kind == .auth, status != .error {
                try await recorder.setCredentialStatus(target.credentialID, status: "invalid", detail: error.description)
                return false
            }
            switch status {
            case .invalid:
                try await recorder.setCredentialStatus(target.credentialID, status: "invalid", detail: error.description)
                return false
            case .denied:
                // No permission to read the profile says nothing about the listings: go on.
                try await recorder.setCredentialStatus(target.credentialID, status: "ok", detail: error.description)
                return true
            default:
                try await recorder.setCredentialStatus(target.credentialID, status: "error", detail: error.description)
                return false
            }
        }
    }

    func perform(_ job: CrawlJob) async throws -> [CrawlJob] {
        let client = target.client
        switch job {
        case .workspaces:
            let items = try await list(client.workspaces(), kind: .workspace, parentID: "", params: "") { item, raw in
                ObservedResource(kind: .workspace, id: item.id, name: item.name ?? "", parentID: nil, payload: raw)
            }
            return items.map { CrawlJob.bots(workspaceID: $0.id) }
        case .bots(let workspaceID):
            let items = try await list(client.bots(workspaceID: workspaceID), kind: .bot, parentID: workspaceID,
                                       params: "workspace_id=\(workspaceID)&publish_status=all") { item, raw in
                ObservedResource(kind: .bot, id: item.id, name: item.name ?? "", parentID: workspaceID, payload: raw)
            }
            return items.flatMap { bot in
                CrawlJob.conversationConnectors.map { CrawlJob.conversations(botID: bot.id, connectorID: $0) }
            }
        case .conversations(let botID, let connectorID):
            _ = try await list(client.conversations(botID: botID, connectorID: connectorID), kind: .conversation,
                               parentID: botID, params: "bot_id=\(botID)&connector_id=\(connectorID)") { item, raw in
                ObservedResource(kind: .conversation, id: item.id, name: item.name ?? "", parentID: botID, payload: raw)
            }
            return []
        case .voices:
            _ = try await list(client.voices(), kind: .voice, parentID: "", params: "voice_state=all") { item, raw in
                ObservedResource(kind: .voice, id: item.id, name: item.name ?? "", parentID: nil,
                                 isSystem: item.isSystemVoice ?? false, payload: raw)
            }
            return []
        }
    }

    /// Drains a page sequence, writing each page in its own transaction, and records how the
    /// listing ended. API errors end the listing, never the crawl.
    private func list<Item: Sendable>(
        _ pages: CozePageSequence<Item>, kind: ResourceKind, parentID: String, params: String,
        observe: (Item, String) -> ObservedResource
    ) async throws -> [Item] {
        var items: [Item] = []
        var pageCount = 0
        var endpoint = ""
        do {
            for try await page in pages {
                pageCount += 1
                endpoint = page.endpoint
                count(requests: 1)
                let observed = zip(page.items, page.rawItems).map { observe($0, $1) }
                try await recorder.recordPage(credentialID: target.credentialID, items: observed)
                counters.resources += observed.count
                items.append(contentsOf: page.items)
                await report()
            }
            try await recordListing(endpoint: endpoint.isEmpty ? Self.endpoint(for: kind) : endpoint, kind: kind.rawValue,
                                    parentID: parentID, params: params, status: .ok, pages: pageCount, items: items.count)
            return items
        } catch let error as CozeAPIError {
            try await fail(error, endpoint: error.endpoint, kind: kind.rawValue, parentID: parentID, params: params,
                           pages: pageCount, items: items.count)
            return []
        }
    }

    static func endpoint(for kind: ResourceKind) -> String {
        switch kind {
        case .workspace: "GET /v1/workspaces"
        case .bot: "GET /v1/bots"
        case .conversation: "GET /v1/conversations"
        case .voice: "GET /v1/audio/voices"
        }
    }

    /// How an API error ends a listing: 4100 → invalid, 4101/404 → denied (observations);
    /// anything else → error (the listing could not be answered; the run becomes partial).
    static func status(for error: CozeAPIError) -> ListingOutcome.Status {
        switch error.classification {
        case .invalidToken: .invalid
        case .permissionDenied, .notFound: .denied
        default: .error
        }
    }

    private func fail(_ error: CozeAPIError, endpoint: String, kind: String, parentID: String, params: String,
                      pages: Int = 0, items: Int = 0) async throws {
        let status = Self.status(for: error)
        count(requests: 1, failed: 1)
        if status == .error { counters.errors += 1 }
        // 4100/4101 are answers that feed the findings; only unanswered listings deserve a warning.
        logger.log(level: status == .error ? .warning : .debug, "listing failed", metadata: [
            "endpoint": "\(endpoint)", "http.status": "\(error.httpStatus.map(String.init) ?? "-")",
            "coze.code": "\(error.code.map(String.init) ?? "-")", "coze.logid": "\(error.logID ?? "-")",
        ])
        try await recorder.recordFailure(credentialID: target.credentialID, endpoint: endpoint, params: params,
                                         httpStatus: error.httpStatus, code: error.code, message: error.message, logID: error.logID)
        try await recordListing(endpoint: endpoint, kind: kind, parentID: parentID, params: params, status: status,
                                httpStatus: error.httpStatus, code: error.code, message: error.message, logID: error.logID,
                                pages: pages, items: items)
        await report()
    }

    private func recordListing(endpoint: String, kind: String, parentID: String = "", params: String = "",
                               status: ListingOutcome.Status, httpStatus: Int? = nil, code: Int? = nil,
                               message: String? = nil, logID: String? = nil, pages: Int = 0, items: Int = 0) async throws {
        counters.listingsDone += 1
        try await recorder.recordListing(ListingOutcome(
            credentialID: target.credentialID, endpoint: endpoint, kind: kind, parentID: parentID, params: params,
            status: status, httpStatus: httpStatus, code: code, message: message, logID: logID, pages: pages, items: items))
    }

    private func count(requests: Int, failed: Int = 0) {
        counters.requests += requests
        counters.failedRequests += failed
    }

    private func report() async {
        await progress?.update(credential: target.name, counters: counters)
    }

    /// Stores the request totals and returns the final counters.
    func finish() async -> CrawlCounters {
        try? await recorder.addRequestCounts(credentialID: target.credentialID,
                                             requests: counters.requests - flushedRequests,
                                             failed: counters.failedRequests - flushedFailures)
        flushedRequests = counters.requests
        flushedFailures = counters.failedRequests
        return counters
    }
}
