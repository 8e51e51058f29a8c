import Foundation
import GRDB

/// How a run ended, by the evidence rules (docs/evidence.md, "Run status"), in this order:
/// 1. no credential's identity step got an answer → `failed` ("nothing could be observed");
/// 2. every credential that was answered was rejected → `failed` (tokens are per site);
/// 3. any listing could not be answered after its retries, or a token was rejected mid-run → `partial`;
/// 4. otherwise `complete`.
/// Notes (a `total_count` that disagrees with the pages) are not failures.
///
/// Listings that failed the same way are said once: one ``Cause`` per distinct cause (the
/// `listing.cause` the crawl stored, e.g. `connection refused`), naming the server's origin
/// (scheme, host, port: never a path or a query) and how many listings and credentials it hit.
/// The same text is the partial run's reason and the lines `run` writes to stderr. Causes carry no
/// parentheses of their own, so a reason never nests or unbalances them.
enum RunIntegrity {
    /// The status and the one-line reason (nil when complete).
    static func verdict(store: AuditStore, runID: Int64, baseURL: String) throws -> (RunStatus, String?) {
        let identities = try identityOutcomes(store: store, runID: runID)
        let answered = identities.filter { $0.status != "error" }
        if !identities.isEmpty && answered.isEmpty {
            let causes = Self.causes(identities.map(\.problem))
            return (.failed, "nothing could be observed at \(baseURL): \(causes); check base_url (e.g. https://api.coze.cn) and any proxy in between")
        }
        if !answered.isEmpty && answered.allSatisfy({ $0.status == "invalid" }) {
            let causes = Self.causes(answered.map(\.problem))
            return (.failed, "every credential answered was rejected by \(baseURL): \(causes); check base_url: tokens are per site, api.coze.cn and api.coze.com tokens are not interchangeable")
        }
        let causes = try listingCauses(store: store, runID: runID, origin: origin(of: baseURL))
        return causes.isEmpty ? (.complete, nil) : (.partial, "could not list: " + causes.map(\.text).joined(separator: "; "))
    }

    /// One line per distinct cause of an incomplete run, for stderr: the listings that could not be
    /// answered, and for a run that failed because every answered credential was rejected, the
    /// rejections. Empty for a complete run.
    static func causeLines(store: AuditStore, runID: Int64, baseURL: String, status: RunStatus) throws -> [String] {
        guard status != .complete else { return [] }
        let origin = origin(of: baseURL)
        var causes = try listingCauses(store: store, runID: runID, origin: origin)
        if causes.isEmpty, status == .failed {
            // Nothing failed to answer: the identity steps were answered, and rejected.
            causes = try rejectionCauses(store: store, runID: runID, origin: origin)
        }
        return causes.map(\.text)
    }

    /// Listings that failed the same way, at one origin.
    struct Cause: Equatable {
        var words: String
        var origin: String
        var listings: Int
        var credentials: [String]
        var endpoints: [String]

        /// `connection refused at http://127.0.0.1:9: 2 listings of 2 credentials (enterprise-pat, personal-pat on GET /v1/users/me)`
        /// (causes are joined with "; ", so none holds one).
        var text: String {
            let detail = Self.some(credentials, 3) + " on " + Self.some(endpoints, 2)
            return "\(words) at \(origin): \(Self.count(listings, "listing")) of \(Self.count(credentials.count, "credential")) (\(detail))"
        }

        static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

        static func some(_ items: [String], _ limit: Int) -> String {
            items.count <= limit ? items.joined(separator: ", ")
                : (items.prefix(limit) + ["+\(items.count - limit) more"]).joined(separator: ", ")
        }
    }

    /// Scheme, host and port of the base URL (the port also when it is the scheme's default, so a
    /// firewall rule can be checked from the line): a path (a proxy mount) or a query may hold a secret.
    static func origin(of baseURL: String) -> String {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
              let host = components.host else {
            return "the configured base_url"
        }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let port = components.port ?? ["http": 80, "https": 443][scheme]
        return "\(scheme)://\(shownHost)" + (port.map { ":\($0)" } ?? "")
    }

    /// The listings that were not answered (`error`) or not observed because the token was rejected
    /// mid-run, grouped by cause; the most frequent first.
    static func listingCauses(store: AuditStore, runID: Int64, origin: String) throws -> [Cause] {
        let rows = try store.read { db -> [(String, String, String, Int)] in
            try ListingCauseRow.fetchAll(db, sql: """
                SELECT COALESCE(l.cause,
                    CASE WHEN l.status = 'invalid' THEN 'token rejected mid-run' || COALESCE(', code ' || l.code, '')
                         WHEN l.code IS NULL AND l.http_status IS NOT NULL THEN 'HTTP ' || l.http_status || ' without a Coze envelope'
                         WHEN l.code IS NOT NULL THEN 'code ' || l.code
                         ELSE COALESCE(l.message, 'no answer') END) AS cause,
                  c.name AS credential, l.endpoint AS endpoint, count(*) AS n
                FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND (l.status = 'error' OR (l.status = 'invalid' AND l.kind <> 'user'))
                GROUP BY 1, c.name, l.endpoint
                ORDER BY c.name, l.endpoint
                """, arguments: [runID]).map { (FailureCause.plain($0.cause), $0.credential, $0.endpoint, $0.n) }
        }
        return group(rows, origin: origin)
    }

    /// The identity steps that were answered with a rejection (4100, `invalid_client`), by cause.
    static func rejectionCauses(store: AuditStore, runID: Int64, origin: String) throws -> [Cause] {
        let rows = try store.read { db -> [(String, String, String, Int)] in
            try RejectionRow.fetchAll(db, sql: """
                SELECT l.code, l.message, l.endpoint, c.name AS credential FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND l.kind = 'user' AND l.status = 'invalid' ORDER BY c.name, l.endpoint
                """, arguments: [runID]).map { row in
                let words = row.code.map { "token rejected, code \($0)" }
                    ?? row.message.flatMap(ReportBuilder.oauthErrorCode).map { "token endpoint refused: \($0)" }
                    ?? "token rejected"
                return (words, row.credential, row.endpoint, 1)
            }
        }
        return group(rows, origin: origin)
    }

    static func group(_ rows: [(cause: String, credential: String, endpoint: String, count: Int)], origin: String) -> [Cause] {
        var causes: [Cause] = []
        for row in rows {
            let index = causes.firstIndex { $0.words == row.cause } ?? {
                causes.append(Cause(words: row.cause, origin: origin, listings: 0, credentials: [], endpoints: []))
                return causes.count - 1
            }()
            causes[index].listings += row.count
            if !causes[index].credentials.contains(row.credential) { causes[index].credentials.append(row.credential) }
            if !causes[index].endpoints.contains(row.endpoint) { causes[index].endpoints.append(row.endpoint) }
        }
        for index in causes.indices { causes[index].endpoints.sort() }
        return causes.sorted { ($0.listings, $1.words) > ($1.listings, $0.words) }
    }

    struct Identity {
        var credential: String
        /// The best outcome of the identity step: ok, denied (an answer), invalid, or error (no answer).
        var status: String
        var problem: String
    }

    /// Per credential, the best outcome of its identity listings (`users/me`, the token endpoint).
    static func identityOutcomes(store: AuditStore, runID: Int64) throws -> [Identity] {
        try store.read { db in
            try IdentityRow.fetchAll(db, sql: """
                SELECT c.name AS credential,
                  CASE max(CASE l.status WHEN 'ok' THEN 4 WHEN 'denied' THEN 3 WHEN 'invalid' THEN 2 ELSE 1 END)
                    WHEN 4 THEN 'ok' WHEN 3 THEN 'denied' WHEN 2 THEN 'invalid' ELSE 'error' END AS status,
                  (SELECT
                     CASE WHEN p.status = 'error' AND p.cause IS NOT NULL THEN p.cause
                          WHEN p.code IS NULL AND p.http_status IS NOT NULL AND p.status = 'error'
                            THEN 'HTTP ' || p.http_status || ' without a Coze envelope'
                          WHEN p.code IS NOT NULL THEN 'code ' || p.code
                          WHEN p.status = 'invalid' AND p.message IS NOT NULL THEN 'rejected: ' || p.message
                          ELSE COALESCE(p.message, p.status) END
                   FROM listing p WHERE p.run_id = l.run_id AND p.credential_id = l.credential_id AND p.kind = 'user'
                   ORDER BY p.endpoint LIMIT 1) AS problem
                FROM listing l JOIN credential c ON c.id = l.credential_id
                WHERE l.run_id = ? AND l.kind = 'user'
                GROUP BY l.credential_id
                ORDER BY c.name
                """, arguments: [runID])
            .map { Identity(credential: $0.credential, status: $0.status, problem: $0.problem ?? "no answer") }
        }
    }

    /// Distinct causes with how many credentials each hit: `HTTP 404 without a Coze envelope (4 credentials)`.
    static func causes(_ problems: [String]) -> String {
        var counts: [String: Int] = [:]
        for problem in problems { counts[FailureCause.plain(problem), default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) (\($0.value) credential\($0.value == 1 ? "" : "s"))" }
            .joined(separator: ", ")
    }
}
