/// Pages of one listing, fetched lazily, one request per `next()`.
///
/// Stop rules (coze-api.md §1.5), whichever comes first: an empty page; `has_more == false`; the
/// number of items fetched reaching `total`/`total_count`; with neither field, a short page.
/// Guards against servers that never stop: a non-empty page whose ids were all seen before is a
/// ``CozeAPIError/Kind/paginationLoop`` error, and so is going past ``CozeClientOptions/maxPages``.
/// Guards against pages that silently lose items: an empty page while `total` says items are
/// missing is an error; an empty page that claims `has_more: true` is confirmed by requesting one
/// more page: an empty one ends the listing, one with items is an error (a page was dropped).
public struct CozePageSequence<Item: CozeListItem>: AsyncSequence, Sendable {
    public typealias Element = CozePage<Item>

    /// What one page request returns before decoding.
    struct RawPage: Sendable {
        var items: [JSONValue]
        var hasMore: Bool?
        var total: Int?
        var logID: String?
    }

    let endpoint: String
    let pageSize: Int
    let maxPages: Int
    let fetch: @Sendable (_ pageNumber: Int) async throws -> RawPage

    init(endpoint: String, pageSize: Int, maxPages: Int, fetch: @escaping @Sendable (Int) async throws -> RawPage) {
        self.endpoint = endpoint
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> Iterator { Iterator(sequence: self) }

    /// Collects every item of every page, duplicates included (convenience for small listings and tests).
    public func allItems() async throws -> [Item] {
        var items: [Item] = []
        for try await page in self { items += page.items }
        return items
    }

    public struct Iterator: AsyncIteratorProtocol {
        let sequence: CozePageSequence
        var pageNumber = 0
        var fetched = 0
        var seen: Set<String> = []
        var finished = false
        /// The previous page was empty although it claimed `has_more`: this page must be empty too.
        var confirmingEnd = false

        init(sequence: CozePageSequence) { self.sequence = sequence }

        public mutating func next() async throws -> CozePage<Item>? {
            guard !finished else { return nil }
            // Any error ends the sequence: a retry, if any, already happened inside the client.
            finished = true
            guard pageNumber < sequence.maxPages else {
                throw loopError("more than \(sequence.maxPages) pages; stopped")
            }
            pageNumber += 1
            let raw = try await sequence.fetch(pageNumber)
            var items: [Item] = []
            var rawItems: [String] = []
            for (index, json) in raw.items.enumerated() {
                do {
                    items.append(try Item(json: json))
                } catch {
                    throw CozeAPIError(
                        kind: .malformedBody, endpoint: sequence.endpoint, httpStatus: 200,
                        message: "page \(pageNumber) item \(index): \(error)", logID: raw.logID)
                }
                rawItems.append(json.jsonText)
            }
            let ids = Set(items.map { $0.id })
            if !items.isEmpty && ids.isSubset(of: seen) {
                throw loopError("page \(pageNumber) repeats ids already seen", logID: raw.logID)
            }
            if confirmingEnd && !items.isEmpty {
                throw loopError(
                    "page \(pageNumber - 1) was empty with has_more true but page \(pageNumber) has items: a page was dropped",
                    logID: raw.logID)
            }
            seen.formUnion(ids)
            // Distinct ids: a duplicate must not make the listing reach its total early.
            fetched = seen.count
            if items.isEmpty, let total = raw.total, fetched < total {
                throw loopError(
                    "page \(pageNumber) is empty but the listing reports \(total) items and \(fetched) were received",
                    logID: raw.logID)
            }
            var more = Self.shouldContinue(raw: raw, count: items.count, fetched: fetched, pageSize: sequence.pageSize)
            if items.isEmpty && raw.hasMore == true && !confirmingEnd {
                confirmingEnd = true
                more = true
            }
            finished = !more
            return CozePage(
                items: items, rawItems: rawItems, pageNumber: pageNumber, hasMore: more, total: raw.total,
                logID: raw.logID, endpoint: sequence.endpoint)
        }

        static func shouldContinue(raw: RawPage, count: Int, fetched: Int, pageSize: Int) -> Bool {
            if count == 0 { return false }
            if let total = raw.total, fetched >= total { return false }
            if let hasMore = raw.hasMore { return hasMore }
            if raw.total != nil { return true }
            return count >= pageSize
        }

        func loopError(_ message: String, logID: String? = nil) -> CozeAPIError {
            CozeAPIError(kind: .paginationLoop, endpoint: sequence.endpoint, message: message, logID: logID)
        }
    }
}
