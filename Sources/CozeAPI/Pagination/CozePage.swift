/// One successfully fetched page of a listing.
///
/// The crawler stores each page in one transaction with the raw JSON of every item, so `rawItems`
/// is aligned with `items` and keeps ids digit-exact (see ``JSONValue``).
public struct CozePage<Item: Sendable>: Sendable {
    public let items: [Item]
    /// Each item's compact JSON text as the API sent it (same order as `items`).
    public let rawItems: [String]
    /// The `page_num` this page was requested with (1-based).
    public let pageNumber: Int
    /// Whether the sequence will request another page after this one.
    public let hasMore: Bool
    /// `total` / `total_count` when the endpoint reports one.
    public let total: Int?
    public let logID: String?
    /// `"GET /v1/bots"`.
    public let endpoint: String

    public init(
        items: [Item], rawItems: [String], pageNumber: Int, hasMore: Bool, total: Int? = nil, logID: String?,
        endpoint: String
    ) {
        self.items = items
        self.rawItems = rawItems
        self.pageNumber = pageNumber
        self.hasMore = hasMore
        self.total = total
        self.logID = logID
        self.endpoint = endpoint
    }
}
