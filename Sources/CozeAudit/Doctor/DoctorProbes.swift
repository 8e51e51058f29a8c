import CozeAPI
import Synchronization

/// The probes of one credential: a fixed, small set of read-only GETs (at most ``maxRequests``)
/// that settle what the docs and SDKs leave open, each recorded as a ``DoctorObservation``.
///
/// Only codes, counts, header names and the server's own error texts are kept: never a name.
struct DoctorProbes: Sendable {
    /// The cap the probes stay under, retries included (the issue's "under 40 per credential").
    static let maxRequests = 39
    /// A path no Coze API has: its answer shows what the server (or a proxy) says to a wrong path.
    static let unknownPath = "/v1/coze-audit-doctor/unknown-path"

    /// The size tried when the documented maximum is refused: the SDKs' default.
    static let fallbackPageSize = 20

    let name: String
    let side: Side
    /// `pat`, `jwt` or `oauth`.
    let auth: String
    let client: CozeClient
    let seen: ExchangeLog

    /// What this credential's probes observed, and the learned values they support. A reference,
    /// so the helpers and the `note` function add to the same one (never leaves the probing task).
    final class Outcome {
        var observations: [DoctorObservation] = []
        var pageParameters: [String: String] = [:]
        var pageSizeLimits: [String: Int] = [:]
    }

    /// A probe's answer: the envelope's data, or the error (a failure is an answer too).
    enum Answer: Sendable {
        case ok(JSONValue)
        case failed(CozeAPIError)

        var data: JSONValue? { if case .ok(let data) = self { data } else { nil } }
        var error: CozeAPIError? { if case .failed(let error) = self { error } else { nil } }
    }

    func ask(_ path: String, _ query: [(String, String)] = []) async throws -> Answer {
        guard seen.count < Self.maxRequests else {
            return .failed(CozeAPIError(kind: .transport, endpoint: "GET \(path)", message: "probe budget spent"))
        }
        do {
            return .ok(try await client.get(path, query: query).data)
        } catch let error as CozeAPIError {
            // The client has scrubbed the token from the message; the text is the server's own.
            if error.code == 4101 { seen.noteDenial(TextSafe.clean(error.message, limit: 160)) }
            return .failed(error)
        }
    }

    func run() async throws -> Outcome {
        let outcome = Outcome()
        func note(_ question: String, _ title: String, _ observed: String, _ action: String, answered: Bool = true) {
            outcome.observations.append(DoctorObservation(credential: name, question: question, title: title,
                                                          observed: observed, action: action, answered: answered))
        }

        // Identity: who users/me says this token acts as.
        let me = try await ask("/v1/users/me")
        guard let user = me.data else {
            // A rejected token is an answer about this credential (a run records it the same way);
            // anything else (no connection, no envelope) is not.
            let error = me.error!
            if let refusal = error.authErrorCode {
                note("identity", "users/me identity", "the token endpoint refused: \(refusal)",
                     "no token, so every other probe is skipped; a run records the app as \(refusal == "access_deny" ? "denied (not authorized)" : "rejected")")
                return outcome
            }
            let rejected = error.classification == .invalidToken
            note("identity", "users/me identity", Self.words(error),
                 "the token is not usable: every other probe is skipped, and a run records it as \(rejected ? "rejected" : "failed")",
                 answered: rejected)
            return outcome
        }
        let userID = user["user_id"]?.stringValue ?? ""
        note("identity", "users/me identity (\(side.rawValue) \(auth))",
             userID.isEmpty ? "no user_id in the answer" : "user_id of \(userID.count) digits"
                + (user["user_name"] == nil ? "" : ", user_name present"),
             "none: coze-audit tells the sides apart by the configuration, never by users/me")

        // Workspaces: total_count against the pages, has_more on the last page, the page size maximum.
        let workspacePath = "/v1/workspaces"
        let firstPage = try await ask(workspacePath, [("page_num", "1"), ("page_size", "1")])
        let maxima = try await pageSizeMaximum(workspacePath, query: [], itemsKey: "workspaces", outcome: outcome, note: note)
        var workspaces: [JSONValue] = maxima.items ?? []
        if let data = firstPage.data {
            let total = (data["total_count"] ?? data["total"])?.intValue
            let listed = workspaces.count
            let observed = total.map { total in
                total == listed ? "total_count \(total) = the \(listed) workspaces the pages hold"
                    : "total_count \(total), the pages hold \(listed)" + (total > listed ? " (it counts more than the token lists)" : "")
            } ?? "no total_count"
            note("workspaces_total", "workspaces: total_count against the pages", observed,
                 "a total_count above what the pages hold is a note on the listing, never a missing workspace; paging stops on an empty page")
            note("workspaces_has_more", "workspaces: has_more on the last page",
                 Self.hasMoreWords(maxima.lastPage, isLast: listed < CozeClient.documentedPageSizes[workspacePath] ?? 50),
                 "paging stops on has_more false, an empty page, or the total reached: an absent has_more is fine")
        } else if let error = firstPage.error {
            note("workspaces_total", "workspaces: total_count against the pages", Self.words(error), "a run records the listing as failed or denied", answered: false)
        }
        workspaces = maxima.items ?? workspaces

        // Enterprise credentials: /v1/workspaces with and without enterprise_id.
        if side == .enterprise {
            let enterpriseIDs = Set(workspaces.compactMap { $0["enterprise_id"]?.stringValue }.filter { !$0.isEmpty })
            if let enterpriseID = enterpriseIDs.sorted().first {
                let filtered = try await ask(workspacePath, [("enterprise_id", enterpriseID), ("page_num", "1"), ("page_size", "50")])
                let observed: String
                if let items = filtered.data?["workspaces"]?.arrayValue {
                    observed = "\(items.count) with enterprise_id, \(workspaces.count) without"
                } else {
                    observed = filtered.error.map(Self.words) ?? "no workspaces array"
                }
                note("workspaces_enterprise_id", "workspaces: with and without enterprise_id", observed,
                     "coze-audit lists without enterprise_id (every workspace the token can see) and never relies on the filter",
                     answered: filtered.data != nil)
            } else {
                note("workspaces_enterprise_id", "workspaces: with and without enterprise_id",
                     "no listed workspace carries an enterprise_id", "nothing to compare; coze-audit lists without the filter")
            }
        }

        // Bots, apps, workflows of a workspace with something to page.
        let workspaceIDs = workspaces.compactMap { $0["id"]?.stringValue }
        var botIDs: [String] = []
        for (path, itemsKey, extra) in [("/v1/bots", "items", [("publish_status", "all")]),
                                        ("/v1/apps", "items", [("publish_status", "all")])] {
            let kind = path == "/v1/bots" ? "bots" : "apps"
            var parent: (id: String, items: [JSONValue])?
            var denials: [CozeAPIError] = []
            for id in workspaceIDs.prefix(3) {
                let answer = try await pageSizeMaximum(path, query: [("workspace_id", id)] + extra, itemsKey: itemsKey,
                                                       outcome: outcome, note: note, quiet: true)
                if let items = answer.items { parent = (id, items); if items.count >= 2 { break } }
                if let error = answer.error { denials.append(error) }
            }
            guard let parent else {
                let why = denials.first.map(Self.words) ?? "no listable workspace"
                note("\(kind)_page_size_max", "\(kind): page size maximum", why, "cannot tell: coze-audit uses the documented maximum", answered: false)
                note("\(kind)_page_parameter", "\(kind): page_num or page_index", why, "cannot tell: a run tries page_num, then page_index when page 2 repeats page 1", answered: false)
                continue
            }
            _ = try await pageSizeMaximum(path, query: [("workspace_id", parent.id)] + extra, itemsKey: itemsKey, outcome: outcome, note: note)
            if kind == "bots" { botIDs = parent.items.compactMap { ($0["id"] ?? $0["bot_id"])?.stringValue } }
            try await pageParameter(path, query: [("workspace_id", parent.id)] + extra, itemsKey: itemsKey, kind: kind,
                                    available: parent.items.count, outcome: outcome, note: note)
        }
        if let workspace = workspaceIDs.first {
            _ = try await pageSizeMaximum("/v1/workflows", query: [("workspace_id", workspace), ("workflow_mode", "workflow"), ("publish_status", "all")],
                                          itemsKey: "items", outcome: outcome, note: note)
        } else {
            note("workflows_page_size_max", "workflows: page size maximum", "no listable workspace", "cannot tell: coze-audit uses the documented maximum", answered: false)
        }
        if let bot = botIDs.first {
            _ = try await pageSizeMaximum("/v1/conversations", query: [("bot_id", bot), ("connector_id", "1024")],
                                          itemsKey: "conversations", outcome: outcome, note: note)
        } else {
            note("conversations_page_size_max", "conversations: page size maximum", "no bot listed", "cannot tell: coze-audit uses the documented maximum", answered: false)
        }
        let voices = try await pageSizeMaximum("/v1/audio/voices", query: [("voice_state", "all"), ("filter_system_voice", "false")],
                                               itemsKey: "voice_list", outcome: outcome, note: note)
        if let last = voices.lastPage {
            note("voices_has_more", "voices: has_more on the last page",
                 Self.hasMoreWords(last, isLast: (voices.items?.count ?? 0) < CozeClient.documentedPageSizes["/v1/audio/voices"] ?? 100),
                 "paging stops on has_more false or an empty page: an absent has_more ends the listing after the page")
        }

        // The unknown path: meant to fail, answered when it does.
        let unknown = try await ask(Self.unknownPath)
        switch unknown {
        case .ok:
            note("unknown_path", "an unknown path", "answered success (code 0)",
                 "a server that answers anything cannot be audited: check base_url and any proxy", answered: false)
        case .failed(let error):
            let envelope = error.kind == .api ? "a Coze envelope, code \(error.code.map(String.init) ?? "?")" : "no Coze envelope"
            note("unknown_path", "an unknown path", "HTTP \(error.httpStatus.map(String.init) ?? "—") with \(envelope)",
                 error.kind == .api ? "a listing answered with this code is a failure unless it is 4100 or 4101"
                     : "an answer without a Coze envelope is a failure, never \"not found\"")
        }

        // What was seen along the way: 4101 texts and rate-limit headers.
        let denials = seen.denialMessages
        note("denial_messages", "4101 message texts", denials.isEmpty ? "no 4101 seen" : denials.joined(separator: " | "),
             "a 4101 is a denial whatever its text; only a text that blames the token adds the site hint")
        let headers = seen.rateLimitHeaderNames
        note("rate_limit_headers", "rate-limit headers", headers.isEmpty ? "none seen" : headers.joined(separator: ", "),
             headers.isEmpty ? "the limiter learns the limit from 429/4013 answers" : "Retry-After is honoured (capped); the limiter learns from 429/4013 answers")
        return outcome
    }

    /// The documented maximum, then one more: the maximum holds when it is accepted and one more is
    /// refused. A refused maximum is retried at ``fallbackPageSize``, which later runs then use.
    /// Returns the items and last page of the listing at the accepted size (at most two pages).
    @discardableResult
    func pageSizeMaximum(
        _ path: String, query: [(String, String)], itemsKey: String, outcome: Outcome,
        note: (String, String, String, String, Bool) -> Void, quiet: Bool = false
    ) async throws -> (items: [JSONValue]?, lastPage: JSONValue?, error: CozeAPIError?) {
        let documented = CozeClient.documentedPageSizes[path] ?? 50
        let kind = Self.kind(path)
        if quiet {
            // Only looking for a parent worth paging: one request at a size that always works.
            let answer = try await ask(path, query + [("page_num", "1"), ("page_size", String(Self.fallbackPageSize))])
            return (answer.data?[itemsKey]?.arrayValue, answer.data, answer.error)
        }
        var size = documented
        var answer = try await ask(path, query + [("page_num", "1"), ("page_size", String(size))])
        if answer.error?.code == 4000 {
            size = Self.fallbackPageSize
            answer = try await ask(path, query + [("page_num", "1"), ("page_size", String(size))])
            if answer.data != nil { outcome.pageSizeLimits[path] = size }
        }
        guard let data = answer.data else {
            let error = answer.error!
            note("\(kind)_page_size_max", "\(kind): page size maximum", Self.words(error),
                 "cannot tell: coze-audit uses the documented maximum, \(documented)", false)
            return (nil, nil, error)
        }
        let over = try await ask(path, query + [("page_num", "1"), ("page_size", String(documented + 1))])
        let overWords = over.error.map { "\(documented + 1) refused (\(Self.words($0)))" } ?? "\(documented + 1) accepted"
        let observed = size == documented ? "\(documented) accepted, \(overWords)" : "\(documented) refused (4000), \(size) accepted"
        note("\(kind)_page_size_max", "\(kind): page size maximum", observed,
             size == documented ? "coze-audit asks for \(documented) per page"
                 : "later runs against this base URL ask for \(size) per page", true)
        return (data[itemsKey]?.arrayValue, data, nil)
    }

    /// Page 2 at `page_size=1` by `page_num` and by `page_index`: the parameter whose page 2
    /// differs from page 1 is honoured.
    func pageParameter(
        _ path: String, query: [(String, String)], itemsKey: String, kind: String, available: Int,
        outcome: Outcome, note: (String, String, String, String, Bool) -> Void
    ) async throws {
        let title = "\(kind): page_num or page_index"
        guard available >= 2 else {
            note("\(kind)_page_parameter", title, "no listable workspace with two \(kind) (of the first three)",
                 "cannot tell: a run tries page_num, then page_index when page 2 repeats page 1", false)
            return
        }
        func firstID(_ answer: Answer) -> String? {
            answer.data?[itemsKey]?.arrayValue?.first.flatMap { ($0["id"] ?? $0["bot_id"])?.stringValue }
        }
        let page1 = firstID(try await ask(path, query + [("page_num", "1"), ("page_size", "1")]))
        var honoured: [String] = []
        var words: [String] = []
        for parameter in ["page_num", "page_index"] {
            let page2 = try await ask(path, query + [(parameter, "2"), ("page_size", "1")])
            if let error = page2.error {
                words.append("\(parameter)=2: \(Self.words(error))")
                continue
            }
            let id = firstID(page2)
            let moved = id != nil && id != page1
            if moved { honoured.append(parameter) }
            words.append("\(parameter)=2 " + (id == nil ? "is empty" : moved ? "moves to the next item" : "repeats page 1"))
        }
        guard page1 != nil else {
            note("\(kind)_page_parameter", title, "page 1 came back empty", "cannot tell", false)
            return
        }
        let action: String
        if let chosen = honoured.first {
            outcome.pageParameters[path] = chosen
            action = "later runs page \(path) by \(chosen)"
        } else {
            action = "neither moves: a run reads page 1, sees page 2 repeat it, tries the other parameter and marks the listing"
        }
        note("\(kind)_page_parameter", title, words.joined(separator: "; "), action, true)
    }

    /// `has_more` as a page shows it; a full page may not be the last one, and says so.
    static func hasMoreWords(_ page: JSONValue?, isLast: Bool) -> String {
        guard let page else { return "no page" }
        let value = page["has_more"].map { $0.boolValue.map(String.init) ?? "not a boolean" }
        guard isLast else { return "a full first page (not the last): has_more " + (value ?? "absent") }
        return value.map { "present (\($0))" } ?? "absent"
    }

    static func kind(_ path: String) -> String {
        switch path {
        case "/v1/audio/voices": "voices"
        default: String(path.dropFirst("/v1/".count))
        }
    }

    /// An error as the table shows it: code and classification, and the HTTP status when there is no code.
    static func words(_ error: CozeAPIError) -> String {
        if let code = error.code { return "code \(code) (\(error.classification.words))" }
        if let status = error.httpStatus { return "HTTP \(status) (\(error.classification.words))" }
        return error.classification.words
    }
}

/// What the exchanges of one credential's probes showed: their count and the rate-limit header
/// names (filled by the client's exchange observer), and the 4101 texts (by ``DoctorProbes/ask(_:_:)``,
/// from the error, whose message the client has scrubbed of the token).
final class ExchangeLog: Sendable {
    private struct State {
        var count = 0
        var denials: [String] = []
        var headers: [String] = []
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.count } }
    var denialMessages: [String] { state.withLock { $0.denials } }
    var rateLimitHeaderNames: [String] { state.withLock { $0.headers } }

    func noteDenial(_ message: String) {
        state.withLock { state in if !state.denials.contains(message) { state.denials.append(message) } }
    }

    func record(_ event: CozeExchangeEvent) {
        state.withLock { state in
            state.count += 1
            for header in event.rateLimitHeaders where !state.headers.contains(header.name) { state.headers.append(header.name) }
        }
    }
}
