/// One successfully fetched page of a listing.
///
/// The crawler stores each page in one transaction with the raw JSON of every item, so `rawItems`
/// is aligned with `items` and keeps ids digit-exact (see ``JSONValue``).
public struct CozePage<Item: Sendable>: Sendable {
    public let items: [Item]
    /// Each item's compact JSON text as the API sent it (same order as `items`).
    public let rawItems: [String]
    /// The page number this page was requested with (1-based).
    public let pageNumber: Int
    /// Whether the sequence will request another page after this one.
    public let hasMore: Bool
    /// `total` / `total_count` when the endpoint reports one.
    public let total: Int?
    public let logID: String?
    /// `"GET /v1/bots"`.
    public let endpoint: String
    /// The page-number parameter this page was fetched with (`page_num`, or `page_index` on `/v1/bots`).
    public let pageParameter: String
    /// Set on the page where the listing switched to another page parameter because the first repeated a page.
    public let switchedPageParameter: String?
    /// Disagreements between the page and the listing's own counts, said in words (stored with the listing).
    public let notes: [String]

    public init(
        items: [Item], rawItems: [String], pageNumber: Int, hasMore: Bool, total: Int? = nil, logID: String?,
        endpoint: String, pageParameter: String = "page_num", switchedPageParameter: String? = nil, notes: [String] = []
    ) {
        self.pageParameter = pageParameter
        self.switchedPageParameter = switchedPageParameter
        self.notes = notes
        self.items = items
        self.rawItems = rawItems
        self.pageNumber = pageNumber
        self.hasMore = hasMore
        self.total = total
        self.logID = logID
        self.endpoint = endpoint
    }
}
