import GRDB

/// What the auditor learned about the API behind one base URL, stored in `learned_behaviour` so
/// the next run starts with it instead of rediscovering it (docs/evidence.md, "Paging").
public struct LearnedBehaviour: Sendable, Equatable {
    /// Listing path → the page parameter the server honours (`/v1/bots` → `page_index`).
    public var pageParameters: [String: String]
    /// Listing path → the largest page size the server accepted where `doctor` found the
    /// documented maximum refused (`/v1/bots` → 20). Only `doctor` learns these.
    public var pageSizeLimits: [String: Int]

    public init(pageParameters: [String: String] = [:], pageSizeLimits: [String: Int] = [:]) {
        self.pageParameters = pageParameters
        self.pageSizeLimits = pageSizeLimits
    }

    static let pageParameterPrefix = "page_parameter "
    static let pageSizeLimitPrefix = "page_size_max "

    /// The rows to store: key → value.
    var rows: [String: String] {
        Dictionary(uniqueKeysWithValues: pageParameters.map { (Self.pageParameterPrefix + $0.key, $0.value) }
            + pageSizeLimits.map { (Self.pageSizeLimitPrefix + $0.key, String($0.value)) })
    }

    public static func load(store: AuditStore, baseURL: String) throws -> LearnedBehaviour {
        let rows = try store.read { db in
            try LearnedRow.fetchAll(db, sql: "SELECT key, value FROM learned_behaviour WHERE base_url = ?", arguments: [baseURL])
        }
        var learned = LearnedBehaviour()
        for row in rows {
            if row.key.hasPrefix(pageParameterPrefix) {
                learned.pageParameters[String(row.key.dropFirst(pageParameterPrefix.count))] = row.value
            } else if row.key.hasPrefix(pageSizeLimitPrefix), let size = Int(row.value), size > 0 {
                learned.pageSizeLimits[String(row.key.dropFirst(pageSizeLimitPrefix.count))] = size
            }
        }
        return learned
    }
}
