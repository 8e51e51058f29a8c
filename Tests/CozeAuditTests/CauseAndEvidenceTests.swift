import CozeAPI
@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// Said once (issue 15 items 2 and 3): a run's failures grouped by cause, naming the server's origin
/// and never a path or query, in flat parentheses; evidence that holds for a finding kind said once.
@Suite("Causes and evidence")
struct CauseAndEvidenceTests {
    static func error(_ kind: CozeAPIError.Kind, status: Int? = nil, code: Int? = nil, message: String = "",
                      oauth: String? = nil) -> CozeAPIError {
        CozeAPIError(kind: kind, endpoint: "GET /v1/workspaces", httpStatus: status, code: code, message: message, authErrorCode: oauth)
    }

    @Test("each error class in plain words, without parentheses")
    func words() {
        let cases: [(CozeAPIError, String)] = [
            (Self.error(.transport, message: "connection refused"), "connection refused"),
            (Self.error(.transport, message: "DNS lookup failed"), "DNS lookup failed"),
            (Self.error(.transport, message: "TLS handshake failed"), "TLS handshake failed"),
            (Self.error(.transport, message: "stream ended at an unexpected time"), "connection closed mid-answer"),
            (Self.error(.transport, message: "connection reset (error set): Connection refused) (errno: 111))"),
             "connection failed: connection reset error set: Connection refused errno: 111"),
            (Self.error(.timeout, message: "request timed out (deadlineExceeded)"), "timed out"),
            (Self.error(.timeout, message: "run deadline passed before the request started"), "run deadline passed"),
            (Self.error(.http, status: 502, message: "HTTP 502 without a Coze envelope; body starts: <html>"), "HTTP 502 without a Coze envelope"),
            (Self.error(.http, status: 404), "HTTP 404 without a Coze envelope"),
            (Self.error(.http, status: 429), "rate limited, HTTP 429"),
            (Self.error(.api, status: 429, code: 4013, message: "too many requests"), "rate limited, code 4013"),
            (Self.error(.api, status: 200, code: 5000, message: "internal (oops)"), "error, code 5000, HTTP 200"),
            (Self.error(.api, status: 503, code: 5000), "server error, code 5000, HTTP 503"),
            (Self.error(.malformedBody, status: 200, message: "expected JSON"), "malformed body, HTTP 200"),
            (Self.error(.paginationLoop, message: "page 2 repeats page 1"), "inconsistent pages"),
            (Self.error(.bodyTooLarge), "body too large"),
            (Self.error(.auth, status: 500, oauth: "internal_error"), "token endpoint refused: internal_error"),
        ]
        for (error, expected) in cases {
            let words = FailureCause.words(for: error)
            #expect(words == expected)
            #expect(!words.contains("(") && !words.contains(")"))
        }
    }

    @Test("the origin is scheme, host and port: never user info, a path or a query")
    func origin() {
        #expect(RunIntegrity.origin(of: "http://127.0.0.1:9") == "http://127.0.0.1:9")
        #expect(RunIntegrity.origin(of: "https://api.coze.cn") == "https://api.coze.cn:443")
        #expect(RunIntegrity.origin(of: "HTTP://example.com/") == "http://example.com:80")
        #expect(RunIntegrity.origin(of: "https://user:secret@proxy.example:8443/gateway/k3y?token=abc") == "https://proxy.example:8443")
        #expect(RunIntegrity.origin(of: "http://[::1]:8080/x") == "http://[::1]:8080")
    }

    /// Failed listings of three credentials: one cause hits two credentials, another one, and a token rejected mid-run.
    static let failures = """
        INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-01-01T00:00:00Z', 'running', 'https://proxy.example:8443/gateway?key=s3cret');
        INSERT INTO credential (id, name, first_run_id) VALUES (1, 'alpha', 1), (2, 'beta', 1), (3, 'gamma', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:1', 'ok'), (1, 2, 'enterprise', 'pat', 'sha256:2', 'ok'), (1, 3, 'enterprise', 'pat', 'sha256:3', 'invalid');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, cause) VALUES
          (1, 1, 'GET /v1/users/me', 'user', '', '', 'ok', 200, 0, NULL, NULL),
          (1, 2, 'GET /v1/users/me', 'user', '', '', 'ok', 200, 0, NULL, NULL),
          (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', 200, 0, NULL, NULL),
          (1, 1, 'GET /v1/bots', 'bot', 'w1', 'a', 'error', 502, NULL, 'HTTP 502 (Bad Gateway) (proxy)', 'HTTP 502 without a Coze envelope'),
          (1, 1, 'GET /v1/bots', 'bot', 'w2', 'b', 'error', 502, NULL, 'HTTP 502', 'HTTP 502 without a Coze envelope'),
          (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'error', 502, NULL, 'HTTP 502', 'HTTP 502 without a Coze envelope'),
          (1, 2, 'GET /v1/audio/voices', 'voice', '', '', 'error', NULL, NULL, 'request timed out (deadline)', 'timed out'),
          (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'invalid', 401, 4100, 'token expired', 'token rejected mid-run, code 4100'),
          (1, 3, 'GET /v1/audio/voices', 'voice', '', '', 'invalid', NULL, NULL, 'not attempted', 'token rejected mid-run, code 4100'),
          (1, 2, 'GET /v1/conversations', 'conversation', 'b1', 'c', 'denied', 403, 4101, 'no permission', NULL);
        """

    @Test("a partial run's reason and stderr lines: one per cause, most listings first, counts of listings and credentials, flat parentheses")
    func grouped() throws {
        let seeded = try SeededStore(Self.failures)
        let base = "https://proxy.example:8443/gateway?key=s3cret"
        let (status, reason) = try RunIntegrity.verdict(store: seeded.store, runID: 1, baseURL: base)
        let lines = [
            "HTTP 502 without a Coze envelope at https://proxy.example:8443: 3 listings of 2 credentials (alpha, beta on GET /v1/bots, GET /v1/workspaces)",
            "token rejected mid-run, code 4100 at https://proxy.example:8443: 2 listings of 1 credential (gamma on GET /v1/audio/voices, GET /v1/workspaces)",
            "timed out at https://proxy.example:8443: 1 listing of 1 credential (beta on GET /v1/audio/voices)",
        ]
        #expect(status == .partial)
        #expect(reason == "could not list: " + lines.joined(separator: "; "))
        #expect(try RunIntegrity.causeLines(store: seeded.store, runID: 1, baseURL: base, status: status) == lines)
        #expect(!(reason ?? "").contains("s3cret") && !(reason ?? "").contains("/gateway"))
        #expect(try RunIntegrity.causeLines(store: seeded.store, runID: 1, baseURL: base, status: .complete) == [])
    }

    @Test("a failed run of rejected tokens: the cause lines are the rejections; the reason keeps its wording and the configured base_url")
    func rejectedEverywhere() throws {
        let seeded = try SeededStore("""
            INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-01-01T00:00:00Z', 'running', 'https://api.coze.com');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'alpha', 1), (2, 'app', 1);
            INSERT INTO listing (run_id, credential_id, endpoint, kind, status, http_status, code, message) VALUES
              (1, 1, 'GET /v1/users/me', 'user', 'invalid', 401, 4100, 'authentication is invalid'),
              (1, 2, 'POST /api/permission/oauth2/token', 'user', 'invalid', 401, NULL, 'invalid_client: bad key (kid)');
            """)
        let (status, reason) = try RunIntegrity.verdict(store: seeded.store, runID: 1, baseURL: "https://api.coze.com")
        #expect(status == .failed)
        #expect(reason == "every credential answered was rejected by https://api.coze.com: code 4100 (1 credential), rejected: invalid_client: bad key kid (1 credential); check base_url: tokens are per site, api.coze.cn and api.coze.com tokens are not interchangeable")
        #expect(try RunIntegrity.causeLines(store: seeded.store, runID: 1, baseURL: "https://api.coze.com", status: status) == [
            "token endpoint refused: invalid_client at https://api.coze.com:443: 1 listing of 1 credential (app on POST /api/permission/oauth2/token)",
            "token rejected, code 4100 at https://api.coze.com:443: 1 listing of 1 credential (alpha on GET /v1/users/me)",
        ])
    }

    @Test("a token endpoint's refusal is stored with its OAuth error first, and the evidence names it instead of the HTTP status")
    func oauthEvidence() {
        let refusal = Self.error(.auth, status: 403, message: "the app is not authorized", oauth: "access_deny")
        #expect(CrawlSession.storedMessage(refusal) == "access_deny: the app is not authorized")
        #expect(CrawlSession.storedMessage(Self.error(.auth, status: 403, message: "access_deny: x", oauth: "access_deny")) == "access_deny: x")
        #expect(CrawlSession.storedMessage(Self.error(.api, status: 403, code: 4101, message: "no permission")) == "no permission")
        #expect(ReportBuilder.answerWords(code: nil, httpStatus: 403, status: "denied", message: "access_deny: the app is not authorized") == "access_deny")
        #expect(ReportBuilder.answerWords(code: 4101, httpStatus: 403, status: "denied", message: nil) == "4101")
        #expect(ReportBuilder.answerWords(code: nil, httpStatus: 403, status: "denied", message: "The app: refused") == "HTTP 403")
        #expect(ReportBuilder.answerWords(code: nil, httpStatus: nil, status: "denied", message: nil) == "denied")
    }

    static func report(_ findings: [Finding]) -> AuditReport {
        AuditReport(run: .init(id: "2", startedAt: "2025-01-01T00:00:00Z", finishedAt: nil, status: "complete", reason: nil, baseURL: "x"),
                    credentials: [], inventory: .init(), findings: findings)
    }

    static func resource(_ kind: FindingKind, _ type: String, _ id: String, _ evidence: [String]?) -> Finding {
        var finding = Finding(kind: kind.rawValue, key: "\(kind.rawValue):\(type):\(id)", severity: "high", new: false,
                              firstSeenRun: "1", remedy: "")
        finding.resourceType = type
        finding.resourceID = id
        finding.seenBy = ["personal-pat"]
        finding.enterpriseNotObserved = evidence
        return finding
    }

    @Test("evidence for a kind: each item once, naming the resource types it holds for when not all; text and HTML say it once, rows never; JSON keeps it per finding")
    func evidenceOnce() throws {
        let app = "app: POST /api/permission/oauth2/enterprise_id/e/token answered access_deny"
        let voices = "ent: GET /v1/audio/voices answered 4101"
        let report = Self.report([
            Self.resource(.needsPersonalGrant, "conversation", "c1", [app]),
            Self.resource(.needsPersonalGrant, "conversation", "c2", [app]),
            Self.resource(.needsPersonalGrant, "voice", "v1", [app, voices]),
            Self.resource(.notVisibleToEnterprise, "bot", "b1", nil),
        ])
        #expect(report.notObservedBy(kind: "needs_personal_grant") == [app, "\(voices) (voice)"])
        #expect(report.notObservedBy(kind: "not_visible_to_enterprise") == [])

        let text = TextRenderer.render(report)
        #expect(text.components(separatedBy: app).count - 1 == 1, "\(text)")
        #expect(text.contains("    needs_personal_grant not observed by: \(app); \(voices) (voice)\n    needs_personal_grant: conversation c1"))
        #expect(!text.contains("not_visible_to_enterprise not observed by"))

        let html = try HTMLRenderer.render(report)
        #expect(html.components(separatedBy: app).count - 1 == 1)
        #expect(html.contains("<p class=\"muted\">Not observed by: \(app); \(voices) (voice)</p>"))
        #expect(html.contains("<td>personal-pat</td>"), "the Seen by cell holds only who saw it")

        let json = try JSONRenderer.render(report)
        #expect(json.components(separatedBy: app).count - 1 == 3, "per finding, unchanged")
    }
}
