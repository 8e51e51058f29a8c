import CozeAPI
import Foundation
import Logging

/// The crawl of one credential: performs listings, writes pages, records outcomes, counts.
/// An actor only because its counters are shared by the credential's concurrent listings.
///
/// Requests are counted and failed attempts stored from the client's observer (``RequestLedger``),
/// so retried failures are stored too and the counts are real HTTP attempts, not pages.
actor CrawlSession {
    let target: CrawlTarget
    /// The target's client with the ledger's observer installed.
    let client: CozeClient
    let recorder: RunRecorder
    let progress: (any CrawlProgress)?
    let logger: Logger
    let ledger: RequestLedger
    private var counters = CrawlCounters()
    private var flushedRequests = 0
    private var flushedFailures = 0
    /// The token answered (users/me succeeded or was denied), so a later rejection happened mid-run.
    private var answered = false
    /// Set when the token was rejected after it had answered: the listings left are not attempted.
    private var rejectedMidRun = false
    /// The cause stored with the listings of a token rejected mid-run (`token rejected mid-run, code 4100`).
    private var midRunCause = "token rejected mid-run"
    /// Per endpoint, what its listings answered so far: a missing permission point is established
    /// once it is endpoint-wide (docs/evidence.md §4), and then its remaining listings are not sent.
    private var permission = PermissionLedger()
    /// Crawl with the shortcut (the default) or ask every parent anyway (to prove the findings equal).
    let skipEstablishedDenials: Bool
    /// Listings started (``admit(_:force:)``) and not finished, per endpoint: while an endpoint is
    /// unresolved, one probe at a time (``PermissionLedger/shouldWait(endpoint:workspaceID:inFlight:)``).
    private var inFlight: [String: Int] = [:]

    /// The benchmark's naive baseline: one transaction per resource instead of one per page.
    let transactionPerResource: Bool

    init(target: CrawlTarget, recorder: RunRecorder, progress: (any CrawlProgress)?, logger: Logger,
         transactionPerResource: Bool = false, skipEstablishedDenials: Bool = true) {
        self.target = target
        self.skipEstablishedDenials = skipEstablishedDenials
        self.transactionPerResource = transactionPerResource
        let ledger = RequestLedger()
        var options = target.client.options
        options.observer = ledger.observer(chaining: options.observer)
        self.client = target.client.with(options: options)
        self.ledger = ledger
        self.recorder = recorder
        self.progress = progress
        var logger = logger
        logger[metadataKey: "credential"] = "\(target.name)"
        self.logger = logger
    }

    /// The identity step: asks who the token acts as. Returns false when crawling further is
    /// pointless (the token is rejected, the app is refused, or nothing answered), after recording why.
    ///
    /// Only an answer decides (docs/evidence.md): `invalid` needs 4100/700012006 from `users/me` or
    /// a rejecting OAuth error; a 4101 — whatever its message — lets the crawl go on; a page
    /// without envelope, a timeout or a refused connection is `error` (not observed, never invalid).
    func identify() async throws -> Bool {
        let endpoint = "GET /v1/users/me"
        do {
            let user = try await client.currentUser()
            answered = true
            try await flushFailures()
            try await recordPathFallback()
            try await recorder.setCredentialStatus(target.credentialID, status: "ok", userID: user.userID, userName: user.userName)
            try await recordListing(endpoint: endpoint, kind: "user", status: .ok, pages: 1, items: 1)
            return true
        } catch let error as CozeAPIError {
            let status = Self.status(for: error)
            let fromTokenEndpoint = error.endpoint.hasPrefix("POST ")
            try await fail(error, endpoint: error.endpoint.isEmpty ? endpoint : error.endpoint, kind: "user", parentID: "", params: "")
            switch status {
            case .invalid:
                try await recorder.setCredentialStatus(target.credentialID, status: "invalid", detail: error.description)
                return false
            case .denied where fromTokenEndpoint:
                // The token endpoint refused the app (access_deny): an answer, but no token to list with.
                try await recorder.setCredentialStatus(target.credentialID, status: "denied", detail: error.description)
                return false
            case .denied:
                // No permission to read the profile says nothing about the listings: go on.
                answered = true
                try await recordPathFallback()
                try await recorder.setCredentialStatus(target.credentialID, status: "ok", detail: error.description)
                return true
            default:
                try await recorder.setCredentialStatus(target.credentialID, status: "error", detail: error.description)
                return false
            }
        }
    }

    /// A JWT app whose configured token path refused while the other documented one served: the
    /// refusal is recorded as the identity step's denied listing (``TokenPathFallback``), with the
    /// path that worked as its note, so `app_not_authorized` names both instead of blaming the admin.
    private func recordPathFallback() async throws {
        guard let fallback = await client.auth.tokenPathFallback else { return }
        try await recordListing(endpoint: fallback.refused, kind: "user", status: .denied, message: fallback.refusal,
                                note: "served by \(fallback.served)")
    }

    /// Whether the crawler may start `job` now (counted in flight until ``perform(_:)`` returns).
    /// With the shortcut, a listing of an endpoint not yet known to work or to be denied waits while
    /// another of its listings is out, or when its workspace already answered 4101: the denial is
    /// then established after one listing in each of two workspaces, not after every listing that
    /// was already queued. `force`: start it anyway (the crawler has nothing else left to do).
    func admit(_ job: CrawlJob, force: Bool = false) -> Bool {
        let endpoint = Self.endpoint(for: Self.describe(job).kind)
        let running = inFlight[endpoint, default: 0]
        if !force, skipEstablishedDenials, !rejectedMidRun,
           permission.shouldWait(endpoint: endpoint, workspaceID: Self.workspace(of: job), inFlight: running) {
            return false
        }
        inFlight[endpoint] = running + 1
        return true
    }

    /// The workspace a job's listing belongs to, for the per-workspace denial rule; nil at account level.
    static func workspace(of job: CrawlJob) -> String? {
        switch job {
        case .workspaces, .voices: nil
        case .bots(let workspaceID), .apps(let workspaceID), .workflows(let workspaceID, _): workspaceID
        case .conversations(_, _, let workspaceID): workspaceID
        }
    }

    func perform(_ job: CrawlJob) async throws -> [CrawlJob] {
        let (kind, _, _) = Self.describe(job)
        defer { inFlight[Self.endpoint(for: kind)] = max(0, inFlight[Self.endpoint(for: kind), default: 0] - 1) }
        // A run being stopped (SIGTERM, SIGINT) sends nothing more.
        try Task.checkCancellation()
        let client = self.client
        if rejectedMidRun {
            try await skip(job)
            return []
        }
        if skipEstablishedDenials, let denial = permission.established(Self.endpoint(for: kind)) {
            try await skipDenied(job, like: denial)
            return []
        }
        switch job {
        case .workspaces:
            let items = try await list(client.workspaces(), kind: .workspace, parentID: "", params: "") { item, raw in
                ObservedResource(kind: .workspace, id: item.id, name: item.name ?? "", parentID: nil, payload: raw)
            }
            return items.flatMap { CrawlJob.children(ofWorkspace: $0.id) }
        case .bots(let workspaceID):
            let items = try await list(client.bots(workspaceID: workspaceID), kind: .bot, parentID: workspaceID,
                                       params: "workspace_id=\(workspaceID)&publish_status=all") { item, raw in
                ObservedResource(kind: .bot, id: item.id, name: item.name ?? "", parentID: workspaceID, payload: raw)
            }
            return items.flatMap { bot in
                CrawlJob.conversationConnectors.map {
                    CrawlJob.conversations(botID: bot.id, connectorID: $0, workspaceID: workspaceID)
                }
            }
        case .conversations(let botID, let connectorID, let workspaceID):
            _ = try await list(client.conversations(botID: botID, connectorID: connectorID), kind: .conversation,
                               parentID: botID, params: "bot_id=\(botID)&connector_id=\(connectorID)",
                               workspaceID: workspaceID) { item, raw in
                ObservedResource(kind: .conversation, id: item.id, name: item.name ?? "", parentID: botID, payload: raw)
            }
            return []
        case .apps(let workspaceID):
            _ = try await list(client.apps(workspaceID: workspaceID), kind: .app, parentID: workspaceID,
                               params: Self.describe(job).params) { item, raw in
                ObservedResource(kind: .app, id: item.id, name: item.name ?? "", parentID: workspaceID, payload: raw)
            }
            return []
        case .workflows(let workspaceID, let mode):
            // The payload keeps app_id (a workflow built inside an app) and the mode asked for.
            _ = try await list(client.workflows(workspaceID: workspaceID, mode: mode), kind: .workflow, parentID: workspaceID,
                               params: Self.describe(job).params) { item, raw in
                ObservedResource(kind: .workflow, id: item.id, name: item.name ?? "", parentID: workspaceID, payload: raw)
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
        _ pages: CozePageSequence<Item>, kind: ResourceKind, parentID: String, params: String, workspaceID: String? = nil,
        observe: (Item, String) -> ObservedResource
    ) async throws -> [Item] {
        var items: [Item] = []
        var pageCount = 0
        var endpoint = ""
        var notes: [String] = []
        do {
            for try await page in pages {
                pageCount += 1
                endpoint = page.endpoint
                notes += page.notes
                let observed = zip(page.items, page.rawItems).map { observe($0, $1) }
                if transactionPerResource {
                    for item in observed { try await recorder.recordPage(credentialID: target.credentialID, items: [item]) }
                } else {
                    try await recorder.recordPage(credentialID: target.credentialID, items: observed)
                }
                counters.resources += observed.count
                items.append(contentsOf: page.items)
                await report()
            }
            try await flushFailures()
            try await recordListing(endpoint: endpoint.isEmpty ? Self.endpoint(for: kind) : endpoint, kind: kind.rawValue,
                                    parentID: parentID, params: params, status: .ok, pages: pageCount, items: items.count,
                                    note: Self.join(notes), workspaceID: workspaceID)
            return items
        } catch let error as CozeAPIError {
            try await fail(error, endpoint: error.endpoint, kind: kind.rawValue, parentID: parentID, params: params,
                           pages: pageCount, items: items.count, note: Self.join(notes), workspaceID: workspaceID)
            return []
        }
    }

    static func join(_ notes: [String]) -> String? { notes.isEmpty ? nil : notes.joined(separator: "; ") }

    static func endpoint(for kind: ResourceKind) -> String {
        switch kind {
        case .workspace: "GET /v1/workspaces"
        case .bot: "GET /v1/bots"
        case .conversation: "GET /v1/conversations"
        case .voice: "GET /v1/audio/voices"
        case .app: "GET /v1/apps"
        case .workflow: "GET /v1/workflows"
        }
    }

    /// How an API error ends a listing: 4100/700012006 (or a rejecting OAuth error) → invalid;
    /// 4101 whatever its message, 4200, `access_deny` → denied (observations); anything else —
    /// including every response without a Coze envelope — → error (not answered; the run is partial).
    static func status(for error: CozeAPIError) -> ListingOutcome.Status {
        switch error.classification {
        case .invalidToken: .invalid
        case .permissionDenied, .notFound: .denied
        default: .error
        }
    }

    private func fail(_ error: CozeAPIError, endpoint: String, kind: String, parentID: String, params: String,
                      pages: Int = 0, items: Int = 0, note: String? = nil, workspaceID: String? = nil) async throws {
        let status = Self.status(for: error)
        if status == .error { counters.errors += 1 }
        // 4100/4101 are answers that feed the findings; only unanswered listings deserve a warning.
        logger.log(level: status == .error ? .warning : .debug, "listing failed", metadata: [
            "endpoint": "\(endpoint)", "http.status": "\(error.httpStatus.map(String.init) ?? "-")",
            "coze.code": "\(error.code.map(String.init) ?? "-")", "coze.logid": "\(error.logID ?? "-")",
        ])
        // Pagination and item errors come after a successful HTTP answer, so the observer did not see them.
        ledger.recordUnusableAnswer(error, params: params)
        try await flushFailures()
        var cause = status == .error ? FailureCause.words(for: error) : nil
        if status == .invalid, answered, kind != "user" {
            if !rejectedMidRun { midRunCause = "token rejected mid-run" + (error.code.map { ", code \($0)" } ?? "") }
            cause = midRunCause
        }
        if status == .invalid, answered, kind != "user", !rejectedMidRun {
            rejectedMidRun = true
            logger.warning("token rejected mid-run", metadata: ["endpoint": "\(endpoint)", "coze.logid": "\(error.logID ?? "-")"])
            try await recorder.setCredentialStatus(
                target.credentialID, status: "invalid",
                detail: "token rejected mid-run after it had answered: \(error.description); later listings were not observed")
        }
        try await recordListing(endpoint: endpoint, kind: kind, parentID: parentID, params: params, status: status,
                                httpStatus: error.httpStatus, code: error.code, message: Self.storedMessage(error), logID: error.logID,
                                pages: pages, items: items, note: note, workspaceID: workspaceID, cause: cause)
        await report()
    }

    /// The message stored with a failed listing. A token endpoint's refusal carries no Coze code,
    /// only the OAuth error (`access_deny`), which goes first, as in ``TokenPathFallback/refusal``:
    /// the evidence then says what the endpoint answered, not only its HTTP status.
    static func storedMessage(_ error: CozeAPIError) -> String {
        guard let oauth = error.authErrorCode, !error.message.hasPrefix(oauth) else { return error.message }
        return error.message.isEmpty ? oauth : "\(oauth): \(error.message)"
    }

    private func recordListing(endpoint: String, kind: String, parentID: String = "", params: String = "",
                               status: ListingOutcome.Status, httpStatus: Int? = nil, code: Int? = nil,
                               message: String? = nil, logID: String? = nil, pages: Int = 0, items: Int = 0,
                               note: String? = nil, workspaceID: String? = nil, cause: String? = nil) async throws {
        counters.listingsDone += 1
        if kind != "user" {
            permission.record(endpoint: endpoint, status: status, code: code, message: message, httpStatus: httpStatus,
                              workspaceID: workspaceID ?? (parentID.isEmpty ? nil : parentID), accountLevel: parentID.isEmpty)
        }
        try await recorder.recordListing(ListingOutcome(
            credentialID: target.credentialID, endpoint: endpoint, kind: kind, parentID: parentID, params: params,
            status: status, httpStatus: httpStatus, code: code, message: message, logID: logID, pages: pages, items: items,
            note: note, cause: cause))
    }

    /// A listing of an endpoint whose permission point is established as missing: recorded like
    /// the answers that established it (a denial: not observed, never a sighting of nothing), with a
    /// note saying it was not asked. Nothing is sent: against a real per-token limit these requests
    /// could only answer 4101 and would use up the quota.
    private func skipDenied(_ job: CrawlJob, like denial: PermissionLedger.Denial) async throws {
        let (kind, parentID, params) = Self.describe(job)
        try await recordListing(endpoint: Self.endpoint(for: kind), kind: kind.rawValue, parentID: parentID, params: params,
                                status: .denied, httpStatus: denial.httpStatus, code: denial.code, message: denial.message,
                                note: PermissionLedger.notAskedNote)
        await report()
    }

    /// A job left when the token was rejected mid-run: recorded as not observed, nothing sent.
    private func skip(_ job: CrawlJob) async throws {
        let (kind, parentID, params) = Self.describe(job)
        try await recordListing(endpoint: Self.endpoint(for: kind), kind: kind.rawValue, parentID: parentID, params: params,
                                status: .invalid, message: "not attempted: the token was rejected earlier in this run",
                                cause: midRunCause)
        await report()
    }

    /// The resource kind, parent and stored parameters of a job's listing.
    static func describe(_ job: CrawlJob) -> (kind: ResourceKind, parentID: String, params: String) {
        switch job {
        case .workspaces: (.workspace, "", "")
        case .bots(let workspaceID): (.bot, workspaceID, "workspace_id=\(workspaceID)&publish_status=all")
        case .conversations(let botID, let connectorID, _): (.conversation, botID, "bot_id=\(botID)&connector_id=\(connectorID)")
        case .voices: (.voice, "", "voice_state=all")
        case .apps(let workspaceID): (.app, workspaceID, "workspace_id=\(workspaceID)&publish_status=all")
        case .workflows(let workspaceID, let mode):
            (.workflow, workspaceID, "workspace_id=\(workspaceID)&workflow_mode=\(mode)&publish_status=all")
        }
    }

    /// Stores the failed attempts the observer collected since the last flush.
    private func flushFailures() async throws {
        for failure in ledger.takeFailures() {
            try await recorder.recordFailure(credentialID: target.credentialID, endpoint: failure.endpoint, params: failure.params,
                                             httpStatus: failure.httpStatus, code: failure.code, message: failure.message,
                                             logID: failure.logID)
        }
    }

    private func report() async {
        let counts = ledger.counts
        counters.requests = counts.requests
        counters.failedRequests = counts.failed
        await progress?.update(credential: target.name, counters: counters)
    }

    /// Stores the failures left and the request totals; returns the final counters.
    func finish() async -> CrawlCounters {
        try? await flushFailures()
        let counts = ledger.counts
        counters.requests = counts.requests
        counters.failedRequests = counts.failed
        try? await recorder.addRequestCounts(credentialID: target.credentialID,
                                             requests: counters.requests - flushedRequests,
                                             failed: counters.failedRequests - flushedFailures)
        flushedRequests = counters.requests
        flushedFailures = counters.failedRequests
        return counters
    }
}
