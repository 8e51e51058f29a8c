import Foundation
import GRDB

/// How a run ended, by the evidence rules (docs/evidence.md, "Run status"), in this order:
/// 1. no credential's identity step got an answer → `failed` ("nothing could be observed");
/// 2. every credential that was answered was rejected → `failed` (tokens are per site);
/// 3. any listing could not be answered after its retries, or a token was rejected mid-run → `partial`;
/// 4. otherwise `complete`.
/// Notes (a `total_count` that disagrees with the pages) are not failures.
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
        let reasons = try reasons(store: store, runID: runID)
        return reasons.isEmpty ? (.complete, nil) : (.partial, "could not list: " + reasons.joined(separator: "; "))
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
            try Row.fetchAll(db, sql: """
                SELECT c.name AS credential,
                  CASE max(CASE l.status WHEN 'ok' THEN 4 WHEN 'denied' THEN 3 WHEN 'invalid' THEN 2 ELSE 1 END)
                    WHEN 4 THEN 'ok' WHEN 3 THEN 'denied' WHEN 2 THEN 'invalid' ELSE 'error' END AS status,
                  (SELECT
                     CASE WHEN p.code IS NULL AND p.http_status IS NOT NULL AND p.status = 'error'
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
            .map { Identity(credential: $0["credential"], status: $0["status"], problem: $0["problem"] ?? "no answer") }
        }
    }

    /// Distinct causes with how many credentials each hit: `HTTP 404 without a Coze envelope (4 credentials)`.
    static func causes(_ problems: [String]) -> String {
        var counts: [String: Int] = [:]
        for problem in problems { counts[TextSafe.clean(problem, limit: 160), default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) (\($0.value) credential\($0.value == 1 ? "" : "s"))" }
            .joined(separator: ", ")
    }

    /// One line per (credential, endpoint) that failed and per credential rejected mid-run, sorted.
    static func reasons(store: AuditStore, runID: Int64) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT reason FROM (
                  SELECT c.name AS name, l.endpoint AS endpoint,
                    c.name || ': ' || l.endpoint || ' (' || count(*) || 'x, last: ' ||
                    COALESCE('HTTP ' || max(l.http_status) || ' ', '') || COALESCE('code ' || max(l.code) || ' ', '') ||
                    COALESCE(max(l.message), '') || ')' AS reason
                  FROM listing l JOIN credential c ON c.id = l.credential_id
                  WHERE l.run_id = :run AND l.status = 'error'
                  GROUP BY c.name, l.endpoint
                  UNION ALL
                  SELECT c.name, '', c.name || ': token rejected mid-run (' ||
                    COALESCE('code ' || max(l.code) || ', ', '') || count(*) || ' listings not observed)'
                  FROM listing l JOIN credential c ON c.id = l.credential_id
                  WHERE l.run_id = :run AND l.status = 'invalid' AND l.kind <> 'user'
                  GROUP BY c.name
                )
                ORDER BY name, endpoint
                """, arguments: ["run": runID])
        }
    }
}
