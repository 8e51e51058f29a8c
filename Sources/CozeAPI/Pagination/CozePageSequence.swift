/// Pages of one listing, fetched lazily, one request per page (plus at most one retry of a page
/// with the other page parameter).
///
/// The stop rules follow what the official SDKs do, because the real API's answers disagree with
/// its docs in places (docs/evidence.md, "Paging"):
/// - the listing ends on `has_more: false`; on an empty page; on a page shorter than the page size
///   when neither `has_more` nor `total` says there is more; or when the distinct items reach `total`;
/// - a short or empty page while `total` says more gets one more request, then the listing ends; the
///   disagreement is a *note* on the listing, not a failure (a scoped token's `total_count` may
///   count workspaces it cannot list);
/// - `total` smaller than the items received is ignored from then on (noted), and the short page ends it;
/// - a page whose ids were all seen before is a loop unless the listing has another page parameter
///   (`/v1/bots`: `page_num` in the docs, `page_index` in cozepy): then that page is asked again with
///   the other parameter, which is used from then on; repeating with both is a loop;
/// - an empty page claiming more, followed by a page with items, lost a page: an error;
/// - a page without its items key is empty only when it says it is the last one; otherwise malformed.
/// Going past ``CozeClientOptions/maxPages`` is a ``CozeAPIError/Kind/paginationLoop``.
public struct CozePageSequence<Item: CozeListItem>: AsyncSequence, Sendable {
    public typealias Element = CozePage<Item>

    /// What one page request returns before decoding.
    struct RawPage: Sendable {
        /// nil when the items key is missing (or null).
        var items: [JSONValue]?
        var hasMore: Bool?
        var total: Int?
        var logID: String?

        init(items: [JSONValue]?, hasMore: Bool? = nil, total: Int? = nil, logID: String? = nil) {
            self.items = items
            self.hasMore = hasMore
            self.total = total
            self.logID = logID
        }
    }

    let endpoint: String
    let pageSize: Int
    let maxPages: Int
    /// Page-number parameter names, the preferred first; more than one only where the sources disagree.
    let pageParameters: [String]
    let fetch: @Sendable (_ pageNumber: Int, _ parameter: String) async throws -> RawPage
    /// Told the parameter the listing switched to (so other listings start with it).
    let learn: (@Sendable (String) -> Void)?

    init(endpoint: String, pageSize: Int, maxPages: Int, pageParameters: [String] = ["page_num"],
         learn: (@Sendable (String) -> Void)? = nil,
         fetch: @escaping @Sendable (Int, String) async throws -> RawPage) {
        precondition(!pageParameters.isEmpty)
        self.learn = learn
        self.endpoint = endpoint
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.pageParameters = pageParameters
        self.fetch = fetch
    }

    init(endpoint: String, pageSize: Int, maxPages: Int, fetch: @escaping @Sendable (Int) async throws -> RawPage) {
        self.init(endpoint: endpoint, pageSize: pageSize, maxPages: maxPages) { page, _ in try await fetch(page) }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(sequence: self) }

    /// Collects every item of every page, duplicates included (convenience for small listings and tests).
    public func allItems() async throws -> [Item] {
        var items: [Item] = []
        for try await page in self { items += page.items }
        return items
    }

    public struct Iterator: AsyncIteratorProtocol {
        /// Why the current request is one more than the listing would otherwise make.
        enum Extra { case none, afterShortPage, afterEmptyPage }

        let sequence: CozePageSequence
        var pageNumber = 0
        var seen: Set<String> = []
        var finished = false
        var parameterIndex = 0
        var triedParameters: Set<Int> = [0]
        var extra = Extra.none
        /// `total` was exceeded once: it no longer decides anything.
        var totalIgnored = false
        /// The last `total` the listing reported, for the note when a later page omits it.
        var reportedTotal: Int?

        init(sequence: CozePageSequence) { self.sequence = sequence }

        var parameter: String { sequence.pageParameters[parameterIndex] }

        public mutating func next() async throws -> CozePage<Item>? {
            guard !finished else { return nil }
            // Any error ends the sequence: a retry, if any, already happened inside the client.
            finished = true
            guard pageNumber < sequence.maxPages else {
                throw loopError("more than \(sequence.maxPages) pages; stopped")
            }
            pageNumber += 1
            var notes: [String] = []
            var switched: String?
            var raw = try await sequence.fetch(pageNumber, parameter)
            var (items, rawItems) = try decode(raw)
            if !items.isEmpty && Set(items.map(\.id)).isSubset(of: seen) {
                guard let other = sequence.pageParameters.indices.first(where: { !triedParameters.contains($0) }) else {
                    let tried = triedParameters.sorted().map { sequence.pageParameters[$0] }.joined(separator: " and ")
                    throw loopError("page \(pageNumber) repeats ids already seen (paged by \(tried))", logID: raw.logID)
                }
                let before = parameter
                parameterIndex = other
                triedParameters.insert(other)
                raw = try await sequence.fetch(pageNumber, parameter)
                (items, rawItems) = try decode(raw)
                if !items.isEmpty && Set(items.map(\.id)).isSubset(of: seen) {
                    throw loopError(
                        "page \(pageNumber) repeats ids already seen with both \(before) and \(parameter)", logID: raw.logID)
                }
                switched = parameter
                sequence.learn?(parameter)
                notes.append("page \(pageNumber) asked with \(before) repeated page \(pageNumber - 1); the server pages by \(parameter)")
            }
            let count = items.count
            if extra == .afterEmptyPage && count > 0 {
                throw loopError(
                    "page \(pageNumber - 1) was empty while the listing said there was more, but page \(pageNumber) has items: a page was dropped",
                    logID: raw.logID)
            }
            seen.formUnion(items.map(\.id))
            let fetched = seen.count
            if let total = raw.total, fetched > total, !totalIgnored {
                totalIgnored = true
                notes.append("total \(total) but \(fetched) distinct items received: total ignored")
            }
            if let total = raw.total { reportedTotal = total }
            let total = totalIgnored ? nil : raw.total
            let totalSaysMore = total.map { fetched < $0 } ?? false
            var more: Bool
            if count == 0 {
                if extra != .none {
                    more = false
                    notes.append(shortfallNote(total: totalIgnored ? nil : reportedTotal, fetched: fetched))
                } else if raw.hasMore == true || totalSaysMore {
                    more = true
                    extra = .afterEmptyPage
                } else {
                    more = false
                }
            } else {
                extra = .none
                if raw.hasMore == false {
                    more = false
                    if totalSaysMore { notes.append("has_more false while " + shortfallNote(total: total, fetched: fetched)) }
                } else if let total, fetched >= total {
                    more = false
                } else if raw.hasMore == true {
                    more = true
                } else if totalSaysMore {
                    more = true
                    if count < sequence.pageSize { extra = .afterShortPage }
                } else {
                    more = count >= sequence.pageSize
                }
            }
            finished = !more
            return CozePage(
                items: items, rawItems: rawItems, pageNumber: pageNumber, hasMore: more, total: raw.total,
                logID: raw.logID, endpoint: sequence.endpoint, pageParameter: parameter, switchedPageParameter: switched,
                notes: notes)
        }

        func shortfallNote(total: Int?, fetched: Int) -> String {
            guard let total else { return "the listing said there was more but ended after \(fetched) item(s)" }
            return "total \(total) but the listing ended after \(fetched) item(s)"
        }

        /// Items of a page; a missing items key is an empty page only on a page that says it is the last.
        func decode(_ raw: RawPage) throws -> ([Item], [String]) {
            guard let values = raw.items else {
                if raw.hasMore == false || raw.total == 0 { return ([], []) }
                throw CozeAPIError(
                    kind: .malformedBody, endpoint: sequence.endpoint, httpStatus: 200,
                    message: "page \(pageNumber) has no items key and does not say it is the last page", logID: raw.logID)
            }
            var items: [Item] = []
            var rawItems: [String] = []
            for (index, json) in values.enumerated() {
                do {
                    items.append(try Item(json: json))
                } catch {
                    throw CozeAPIError(
                        kind: .malformedBody, endpoint: sequence.endpoint, httpStatus: 200,
                        message: "page \(pageNumber) item \(index): \(error)", logID: raw.logID)
                }
                rawItems.append(json.jsonText)
            }
            return (items, rawItems)
        }

        func loopError(_ message: String, logID: String? = nil) -> CozeAPIError {
            CozeAPIError(kind: .paginationLoop, endpoint: sequence.endpoint, message: message, logID: logID)
        }
    }
}
