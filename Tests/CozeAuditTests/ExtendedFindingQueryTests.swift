import AuditQueries
@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// The §3b query files (app_not_authorized, workspace_scope_gap, stranded, obo_cannot_use_grant,
/// pat_in_production, credential_history) against seeded rows, plus `FallbackCheck` on a seeded run.
/// Each finding query is run by hand (as `coze-audit query` or sqlite3 would) and through
/// `FindingsEngine`; the whole ordered result is compared with a literal table.
@Suite("Extended finding queries")
struct ExtendedFindingQueryTests {
    // MARK: app_not_authorized

    /// Run 1: two JWT apps refused by the token endpoint (denied, invalid), one whose configured
    /// path refused while the other documented path served a token, and five near misses.
    /// Run 2: ok-app is refused there, which must not leak into run 1.
    /// An `access_deny` from the token endpoint leaves the credential 'denied' (CrawlSession.identify).
    static let tokenRefusals = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'complete', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES
          (1, 'ent-app', 1), (2, 'bad-key-app', 1), (3, 'flaky-app', 1), (4, 'oauth-user', 1),
          (5, 'ok-app', 1), (6, 'mid-app', 1), (7, 'old-pat', 1), (8, 'migrated-app', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'enterprise', 'jwt', 'sha256:111111111111', 'denied'),
          (1, 2, 'personal', 'jwt', 'sha256:222222222222', 'invalid'),
          (1, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'error'),
          (1, 4, 'enterprise', 'oauth', 'sha256:444444444444', 'denied'),
          (1, 5, 'enterprise', 'jwt', 'sha256:555555555555', 'ok'),
          (1, 6, 'enterprise', 'jwt', 'sha256:666666666666', 'ok'),
          (1, 7, 'personal', 'pat', 'sha256:777777777777', 'invalid'),
          (1, 8, 'enterprise', 'jwt', 'sha256:888888888888', 'ok'),
          (2, 5, 'enterprise', 'jwt', 'sha256:555555555555', 'denied');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
          -- refused: access_deny (denied) and invalid_client (invalid)
          (1, 1, 'POST /api/permission/oauth2/enterprise_id/volcano_1/token', 'user', '', '', 'denied', 403, NULL,
             'enterprise volcano_1 has not authorized the app', 'log-1'),
          (1, 2, 'POST /api/permission/oauth2/token', 'user', '', '', 'invalid', 401, NULL, 'the JWT signature is invalid', 'log-2'),
          -- the token endpoint could not answer: not a refusal
          (1, 3, 'POST /api/permission/oauth2/token', 'user', '', '', 'error', 502, NULL, 'bad gateway', 'log-3'),
          -- an OAuth user credential whose refresh was refused: not a JWT app
          (1, 4, 'POST /api/permission/oauth2/token', 'user', '', '', 'denied', 400, NULL, 'refresh token revoked', 'log-4'),
          -- a JWT app that got its token but may not read its profile
          (1, 5, 'GET /v1/users/me', 'user', '', '', 'denied', 200, 4101, 'no permission', 'log-5'),
          -- a token refused mid-crawl is recorded under the listing's kind, not 'user'
          (1, 6, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
          (1, 6, 'POST /api/permission/oauth2/token', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'denied', 403, NULL, 'app deactivated', 'log-6'),
          (1, 7, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100, 'authentication is invalid', 'log-7'),
          (2, 5, 'POST /api/permission/oauth2/enterprise_id/volcano_1/token', 'user', '', '', 'denied', 403, NULL, 'revoked', 'log-8');
        -- the configured enterprise path refused, the account path served a token (docs/evidence.md §7):
        -- the refusal is recorded with the path that worked as its note, and the crawl went on
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid, note) VALUES
          (1, 8, 'POST /api/permission/oauth2/enterprise_id/volcano_1/token', 'user', '', '', 'denied', NULL, NULL,
             'access_deny: the app is not authorized', NULL, 'served by POST /api/permission/oauth2/account/volcano_1/token'),
          (1, 8, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL, NULL);
        """

    @Test("app_not_authorized: only JWT apps whose token-endpoint request (kind user) was denied or invalid; reason other_path_works when the other documented path served")
    func appNotAuthorized() throws {
        let db = try SeededStore(Self.tokenRefusals)
        // details.served_by (docs/evidence.md §7) is null unless the other documented path served a token.
        try db.expectExtended("app_not_authorized", runID: 1, [
            ["app_not_authorized:bad-key-app", "app_not_authorized", "high", nil, nil,
             "bad-key-app", "POST /api/permission/oauth2/token", nil, "invalid", nil, "[]",
             #"{"message":"the JWT signature is invalid","logid":"log-2","fingerprint":"sha256:222222222222","served_by":null}"#],
            ["app_not_authorized:ent-app", "app_not_authorized", "high", nil, nil,
             "ent-app", "POST /api/permission/oauth2/enterprise_id/volcano_1/token", nil, "denied", nil, "[]",
             #"{"message":"enterprise volcano_1 has not authorized the app","logid":"log-1","fingerprint":"sha256:111111111111","served_by":null}"#],
            ["app_not_authorized:migrated-app", "app_not_authorized", "high", nil, nil,
             "migrated-app", "POST /api/permission/oauth2/enterprise_id/volcano_1/token", nil, "other_path_works", nil, "[]",
             #"{"message":"access_deny: the app is not authorized","logid":null,"fingerprint":"sha256:888888888888","served_by":"POST /api/permission/oauth2/account/volcano_1/token"}"#],
        ])
        try db.expectExtended("app_not_authorized", runID: 2, [
            ["app_not_authorized:ok-app", "app_not_authorized", "high", nil, nil,
             "ok-app", "POST /api/permission/oauth2/enterprise_id/volcano_1/token", nil, "denied", nil, "[]",
             #"{"message":"revoked","logid":"log-8","fingerprint":"sha256:555555555555","served_by":null}"#],
        ])
    }

    // MARK: workspace_scope_gap

    /// Run 1. Personal: personal-pat (1) sees w1 (personal), w2 (enterprise only because
    /// enterprise-pat sees it), w5 (empty enterprise_id); team-pat (8) sees w4 (enterprise only per payload).
    /// Enterprise: enterprise-pat (2) sees w2, w3; enterprise-app (3) sees w3; ent-invalid (4) is
    /// invalid; ent-blind (5) could not list workspaces; ent-denied (6) got 4101 on them;
    /// ent-no-profile (7) failed users/me (a blind spot for workspaces through kind_dependency).
    /// Run 2: enterprise-pat alone sees w6.
    static let workspaceScope = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'complete', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES
          (1, 'personal-pat', 1), (2, 'enterprise-pat', 1), (3, 'enterprise-app', 1), (4, 'ent-invalid', 1),
          (5, 'ent-blind', 1), (6, 'ent-denied', 1), (7, 'ent-no-profile', 1), (8, 'team-pat', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
          (1, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'ok'),
          (1, 4, 'enterprise', 'pat', 'sha256:444444444444', 'invalid'),
          (1, 5, 'enterprise', 'pat', 'sha256:555555555555', 'ok'),
          (1, 6, 'enterprise', 'pat', 'sha256:666666666666', 'ok'),
          (1, 7, 'enterprise', 'jwt', 'sha256:777777777777', 'ok'),
          (1, 8, 'personal', 'pat', 'sha256:888888888888', 'ok'),
          (2, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok');
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('workspace', 'w1', 'Personal space', NULL, 0, 1, 1),
          ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1),
          ('workspace', 'w3', 'Enterprise space', NULL, 0, 1, 1),
          ('workspace', 'w4', 'Sales', NULL, 0, 1, 1),
          ('workspace', 'w5', 'Hobby', NULL, 0, 1, 1),
          ('workspace', 'w6', 'Later', NULL, 0, 2, 2);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (1, 1, 'workspace', 'w1', NULL, '{"id":"w1","workspace_type":"personal"}'),
          (1, 1, 'workspace', 'w2', NULL, '{"id":"w2"}'),
          (1, 2, 'workspace', 'w2', NULL, '{"id":"w2"}'),
          (1, 1, 'workspace', 'w5', NULL, '{"id":"w5","enterprise_id":""}'),
          (1, 2, 'workspace', 'w3', NULL, '{"id":"w3"}'),
          (1, 3, 'workspace', 'w3', NULL, '{"id":"w3"}'),
          (1, 8, 'workspace', 'w4', NULL, '{"id":"w4","enterprise_id":"volcano_1"}'),
          (2, 2, 'workspace', 'w6', NULL, '{"id":"w6"}');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code) VALUES
          (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
          (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
          (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
          (1, 4, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100),
          (1, 5, 'GET /v1/workspaces', 'workspace', '', '', 'error', 503, NULL),
          (1, 6, 'GET /v1/workspaces', 'workspace', '', '', 'denied', 200, 4101),
          (1, 7, 'GET /v1/users/me', 'user', '', '', 'error', 500, NULL),
          (1, 8, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL);
        """

    @Test("workspace_scope_gap: per (enterprise credential, enterprise workspace) it misses; invalid and blind credentials left out")
    func workspaceScopeGap() throws {
        let db = try SeededStore(Self.workspaceScope)
        try db.expectExtended("workspace_scope_gap", runID: 1, [
            ["workspace_scope_gap:enterprise-app:w2", "workspace_scope_gap", "medium", "workspace", "w2",
             "enterprise-app", nil, nil, nil, nil, #"["personal-pat","enterprise-pat"]"#, #"{"name":"Migrated space"}"#],
            ["workspace_scope_gap:enterprise-app:w4", "workspace_scope_gap", "medium", "workspace", "w4",
             "enterprise-app", nil, nil, nil, nil, #"["team-pat"]"#, #"{"name":"Sales"}"#],
            ["workspace_scope_gap:enterprise-pat:w4", "workspace_scope_gap", "medium", "workspace", "w4",
             "enterprise-pat", nil, nil, nil, nil, #"["team-pat"]"#, #"{"name":"Sales"}"#],
        ])
        // Run 2: the only enterprise credential sees every enterprise workspace of that run.
        try db.expectExtended("workspace_scope_gap", runID: 2, [])
    }

    // MARK: stranded

    /// Runs (current = 6, still 'running' while findings are computed, as in AuditRunner):
    ///   1 complete, 1 s before the 30-day window   2 complete, exactly on the window's start
    ///   3 complete   4 partial   5 failed   6 running (current)   7 complete, after the current run
    /// Credentials: personal-pat (1, personal PAT), enterprise-pat (2), personal-app (3, personal JWT app).
    /// In run 6 the enterprise sees bot b1 (not b9); personal-pat is valid, personal-app invalid;
    /// the enterprise's voice listing answered 4101 (denied, not a blind spot). Both valid
    /// credentials listed b1's conversations successfully (both connectors) and personal-pat listed
    /// the voices successfully: the answers that make "no credential sees it now" an observation.
    static let strandedRuns = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T07:59:59Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (3, '2025-03-15T08:00:00Z', '2025-03-15T08:05:00Z', 'complete', 'http://sim'),
          (4, '2025-03-20T08:00:00Z', '2025-03-20T08:05:00Z', 'partial', 'http://sim'),
          (5, '2025-03-30T08:00:00Z', '2025-03-30T08:05:00Z', 'failed', 'http://sim'),
          (6, '2025-03-31T08:00:00Z', NULL, 'running', 'http://sim'),
          (7, '2025-04-01T08:00:00Z', '2025-04-01T08:05:00Z', 'complete', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1), (3, 'personal-app', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status)
          SELECT r.id, c.id, CASE c.id WHEN 2 THEN 'enterprise' ELSE 'personal' END, CASE c.id WHEN 3 THEN 'jwt' ELSE 'pat' END,
                 'sha256:00000000000' || c.id, CASE WHEN r.id = 6 AND c.id = 3 THEN 'invalid' ELSE 'ok' END
          FROM run r CROSS JOIN credential c;
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('bot', 'b1', 'Support bot', 'w1', 0, 1, 7),
          ('bot', 'b9', 'Deleted bot', 'w1', 0, 3, 3),
          ('conversation', 'cA', 'Edge of window', 'b1', 0, 2, 2),
          ('conversation', 'cB', 'Too old', 'b1', 0, 1, 1),
          ('conversation', 'cC', 'Two personal credentials', 'b1', 0, 2, 3),
          ('conversation', 'cD', 'Only in a partial run', 'b1', 0, 4, 4),
          ('conversation', 'cE', 'Only in a failed run', 'b1', 0, 5, 5),
          ('conversation', 'cF', 'Enterprise only', 'b1', 0, 3, 3),
          ('conversation', 'cG', 'Enterprise sees it now', 'b1', 0, 3, 6),
          ('conversation', 'cH', 'Bot gone', 'b9', 0, 3, 3),
          ('conversation', 'cI', 'Only after the current run', 'b1', 0, 7, 7),
          ('conversation', 'cJ', 'Personal still sees it', 'b1', 0, 3, 6),
          ('voice', 'vA', 'My voice', NULL, 0, 3, 3),
          ('voice', 'vE', 'Enterprise voice', NULL, 0, 3, 3),
          ('voice', 'vS', 'System voice', NULL, 1, 3, 3);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (2, 1, 'conversation', 'cA', 'b1', '{}'),
          (1, 1, 'conversation', 'cB', 'b1', '{}'),
          (2, 1, 'conversation', 'cC', 'b1', '{}'),
          (3, 1, 'conversation', 'cC', 'b1', '{}'),
          (3, 3, 'conversation', 'cC', 'b1', '{}'),
          (4, 1, 'conversation', 'cD', 'b1', '{}'),
          (5, 1, 'conversation', 'cE', 'b1', '{}'),
          (3, 2, 'conversation', 'cF', 'b1', '{}'),
          (3, 1, 'conversation', 'cG', 'b1', '{}'),
          (6, 2, 'conversation', 'cG', 'b1', '{}'),
          (3, 1, 'conversation', 'cH', 'b9', '{}'),
          (7, 1, 'conversation', 'cI', 'b1', '{}'),
          (3, 1, 'conversation', 'cJ', 'b1', '{}'),
          (6, 1, 'conversation', 'cJ', 'b1', '{}'),
          (3, 1, 'voice', 'vA', NULL, '{}'),
          (3, 2, 'voice', 'vE', NULL, '{}'),
          (3, 1, 'voice', 'vS', NULL, '{"is_system_voice":true}'),
          (6, 2, 'bot', 'b1', 'w1', '{}');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code) VALUES
          (6, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101),
          -- a failed listing in an earlier run is no blind spot now
          (3, 2, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'error', 503, NULL),
          (6, 1, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
          (6, 2, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
          (6, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
          (6, 2, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL),
          (6, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL),
          (6, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'ok', NULL, NULL),
          (6, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL),
          (6, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'ok', NULL, NULL),
          (6, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL);

        """

    static let strandedA = ["stranded:conversation:cA", "stranded", "high", "conversation", "cA", nil, nil, nil, nil, nil,
                            #"["personal-pat"]"#,
                            #"{"name":"Edge of window","parent_id":"b1","last_seen_run":2,"last_seen_at":"2025-03-01T08:00:00Z"}"#]
    static let strandedB = ["stranded:conversation:cB", "stranded", "high", "conversation", "cB", nil, nil, nil, nil, nil,
                            #"["personal-pat"]"#,
                            #"{"name":"Too old","parent_id":"b1","last_seen_run":1,"last_seen_at":"2025-03-01T07:59:59Z"}"#]
    static let strandedC = ["stranded:conversation:cC", "stranded", "high", "conversation", "cC", nil, nil, nil, nil, nil,
                            #"["personal-pat","personal-app"]"#,
                            #"{"name":"Two personal credentials","parent_id":"b1","last_seen_run":3,"last_seen_at":"2025-03-15T08:00:00Z"}"#]
    static let strandedV = ["stranded:voice:vA", "stranded", "high", "voice", "vA", nil, nil, nil, nil, nil,
                            #"["personal-pat"]"#,
                            #"{"name":"My voice","parent_id":null,"last_seen_run":3,"last_seen_at":"2025-03-15T08:00:00Z"}"#]

    @Test("stranded: seen by a personal credential in an earlier complete run within the window, unseen now; window start inclusive")
    func stranded() throws {
        let db = try SeededStore(Self.strandedRuns)
        try db.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC, Self.strandedV])
    }

    @Test("stranded: window_days decides; the default is 30")
    func strandedWindow() throws {
        let db = try SeededStore(Self.strandedRuns)
        #expect(AuditQueries.defaultParameters["window_days"] == 30)
        try db.expectExtended("stranded", runID: 6, parameters: ["window_days": 31],
                              [Self.strandedA, Self.strandedB, Self.strandedC, Self.strandedV])
        // Run 2 (2025-03-01T08:00:00Z) is 30 days before run 6; with a 29-day window only run 3 counts.
        try db.expectExtended("stranded", runID: 6, parameters: ["window_days": 29], [Self.strandedC, Self.strandedV])
        // Through the engine's default parameters.
        try FindingsEngine.compute(store: db.store, runID: 6)
        #expect(try db.table("SELECT key FROM finding WHERE run_id = 6 AND kind = 'stranded' ORDER BY key") ==
                [["stranded:conversation:cA"], ["stranded:conversation:cC"], ["stranded:voice:vA"]])
    }

    @Test("stranded: a voice needs a valid personal credential in the current run")
    func strandedVoiceNeedsValidPersonal() throws {
        // personal-pat's listings of run 6 are left in place, so only its status differs from
        // `stranded()` (a PAT rejected mid-run keeps what it listed before).
        let db = try SeededStore(Self.strandedRuns + """
            UPDATE run_credential SET status = 'invalid' WHERE run_id = 6 AND credential_id = 1;
            """)
        try db.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])
        // An enterprise credential being valid does not count.
        let enterpriseOnly = try SeededStore(Self.strandedRuns + """
            UPDATE run_credential SET status = 'error' WHERE run_id = 6 AND credential_id = 1;
            """)
        try enterpriseOnly.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])
    }

    @Test("stranded: a failed listing of the kind in the current run (any credential) makes it unknown, not stranded")
    func strandedBlindSpot() throws {
        let voices = try SeededStore(Self.strandedRuns + """
            UPDATE listing SET status = 'error', http_status = 500, code = NULL
              WHERE run_id = 6 AND credential_id = 1 AND endpoint = 'GET /v1/audio/voices';
            """)
        try voices.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])

        // Any credential's failure counts: the enterprise's voice listing failed while personal-pat's answered.
        let enterpriseVoices = try SeededStore(Self.strandedRuns + """
            UPDATE listing SET status = 'error', http_status = 500, code = NULL
              WHERE run_id = 6 AND credential_id = 2 AND endpoint = 'GET /v1/audio/voices';
            """)
        try enterpriseVoices.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])

        // A failed bot listing hides conversations (kind_dependency), and it does not matter whose.
        let bots = try SeededStore(Self.strandedRuns + """
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status) VALUES
              (6, 2, 'GET /v1/bots', 'bot', 'w7', 'workspace_id=w7&publish_status=all', 'error', 502);
            """)
        try bots.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedV])

        // A failed profile request hides everything.
        let user = try SeededStore(Self.strandedRuns + """
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status) VALUES
              (6, 3, 'GET /v1/users/me', 'user', '', '', 'error', 500);
            """)
        try user.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [])
    }

    @Test("stranded (evidence rule): a conversation needs an undenied successful listing of its bot's conversations now; a voice an undenied successful personal voice listing")
    func strandedNeedsAnAnswerNow() throws {
        // Positive control: `stranded()` above, from the same seed ([cA, cC, vA]); the enterprise's
        // denied voice listing does not count against a voice (only personal ones do).

        // Evidence rule: the enterprise was denied b1's conversations (one connector) in run 6:
        // "no credential sees cA, cC now" is not observed.
        let conversationsDenied = try SeededStore(Self.strandedRuns + """
            UPDATE listing SET status = 'denied', http_status = 200, code = 4101
              WHERE run_id = 6 AND credential_id = 2 AND params = 'bot_id=b1&connector_id=999';
            """)
        try conversationsDenied.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedV])

        // Evidence rule: b1 is still seen, but nobody listed its conversations in run 6.
        let conversationsUnlisted = try SeededStore(Self.strandedRuns + """
            DELETE FROM listing WHERE run_id = 6 AND kind = 'conversation';
            """)
        try conversationsUnlisted.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedV])

        // Evidence rule: personal-pat's voice listing was denied (4101) in run 6.
        let voicesDenied = try SeededStore(Self.strandedRuns + """
            UPDATE listing SET status = 'denied', http_status = 200, code = 4101
              WHERE run_id = 6 AND credential_id = 1 AND endpoint = 'GET /v1/audio/voices';
            """)
        try voicesDenied.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])

        // Evidence rule: no personal credential listed voices in run 6 (the enterprise's 4101 is all there is).
        let voicesUnlisted = try SeededStore(Self.strandedRuns + """
            DELETE FROM listing WHERE run_id = 6 AND credential_id = 1 AND endpoint = 'GET /v1/audio/voices';
            """)
        try voicesUnlisted.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])

        // Evidence rule: personal-pat listed the voices, but another valid personal credential was denied them.
        let otherPersonalDenied = try SeededStore(Self.strandedRuns + """
            UPDATE run_credential SET status = 'ok' WHERE run_id = 6 AND credential_id = 3;
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code) VALUES
              (6, 3, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (6, 3, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101);
            """)
        try otherPersonalDenied.expectExtended("stranded", runID: 6, parameters: ["window_days": 30], [Self.strandedA, Self.strandedC])
    }

    // MARK: obo_cannot_use_grant, pat_in_production

    static let credentialKinds = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'complete', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES
          (1, 'personal-pat', 1), (2, 'enterprise-pat', 1), (3, 'old-ent-pat', 1), (4, 'enterprise-app', 1),
          (5, 'ent-obo', 1), (6, 'personal-obo', 1), (7, 'ent-obo-expired', 1), (8, 'later-pat', 2), (9, 'later-obo', 2);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
          (1, 3, 'enterprise', 'pat', 'sha256:333333333333', 'invalid'),
          (1, 4, 'enterprise', 'jwt', 'sha256:444444444444', 'ok'),
          (1, 5, 'enterprise', 'oauth', 'sha256:555555555555', 'ok'),
          (1, 6, 'personal', 'oauth', 'sha256:666666666666', 'ok'),
          (1, 7, 'enterprise', 'oauth', 'sha256:777777777777', 'invalid'),
          (2, 8, 'enterprise', 'pat', 'sha256:888888888888', 'ok'),
          (2, 9, 'enterprise', 'oauth', 'sha256:999999999999', 'ok');
        """

    @Test("obo_cannot_use_grant: every enterprise-side OAuth user credential of the run, valid or not")
    func oboCannotUseGrant() throws {
        let db = try SeededStore(Self.credentialKinds)
        try db.expectExtended("obo_cannot_use_grant", runID: 1, [
            ["obo_cannot_use_grant:ent-obo", "obo_cannot_use_grant", "medium", nil, nil, "ent-obo", nil, nil, nil, nil, "[]",
             #"{"fingerprint":"sha256:555555555555"}"#],
            ["obo_cannot_use_grant:ent-obo-expired", "obo_cannot_use_grant", "medium", nil, nil, "ent-obo-expired", nil, nil, nil, nil, "[]",
             #"{"fingerprint":"sha256:777777777777"}"#],
        ])
    }

    @Test("pat_in_production: every enterprise-side PAT of the run, with its status; personal PATs and apps left out")
    func patInProduction() throws {
        let db = try SeededStore(Self.credentialKinds)
        try db.expectExtended("pat_in_production", runID: 1, [
            ["pat_in_production:enterprise-pat", "pat_in_production", "low", nil, nil, "enterprise-pat", nil, nil, nil, nil, "[]",
             #"{"fingerprint":"sha256:222222222222","status":"ok"}"#],
            ["pat_in_production:old-ent-pat", "pat_in_production", "low", nil, nil, "old-ent-pat", nil, nil, nil, nil, "[]",
             #"{"fingerprint":"sha256:333333333333","status":"invalid"}"#],
        ])
        try db.expectExtended("pat_in_production", runID: 2, [
            ["pat_in_production:later-pat", "pat_in_production", "low", nil, nil, "later-pat", nil, nil, nil, nil, "[]",
             #"{"fingerprint":"sha256:888888888888","status":"ok"}"#],
        ])
    }

    // MARK: credential_history

    /// Runs 1 complete, 2 complete, 3 partial, 4 complete, 5 running (ignored).
    ///   personal-pat (1): ok, ok, invalid, invalid; in run 5 'ok' with a new fingerprint (ignored).
    ///   enterprise-app (2): from run 2; key rotated in run 3 (X → Y).
    ///   old-pat (3): invalid in runs 1 and 2, then removed from the config.
    ///   flapping (4): ok, invalid, ok, invalid.
    ///   quiet (5): run 4 only, status error, no requests.
    ///   newcomer (6): only in the running run 5.
    static let history = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'complete', 'http://sim'),
          (3, '2025-03-03T08:00:00Z', '2025-03-03T08:05:00Z', 'partial', 'http://sim'),
          (4, '2025-03-04T08:00:00Z', '2025-03-04T08:05:00Z', 'complete', 'http://sim'),
          (5, '2025-03-05T08:00:00Z', NULL, 'running', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES
          (1, 'personal-pat', 1), (2, 'enterprise-app', 2), (3, 'old-pat', 1), (4, 'flapping', 1), (5, 'quiet', 4), (6, 'newcomer', 5);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, requests, failed_requests) VALUES
          (1, 1, 'personal', 'pat', 'sha256:aaaaaaaaaaaa', 'ok', 10, 0),
          (2, 1, 'personal', 'pat', 'sha256:aaaaaaaaaaaa', 'ok', 12, 2),
          (3, 1, 'personal', 'pat', 'sha256:aaaaaaaaaaaa', 'invalid', 1, 1),
          (4, 1, 'personal', 'pat', 'sha256:aaaaaaaaaaaa', 'invalid', 1, 1),
          (5, 1, 'personal', 'pat', 'sha256:bbbbbbbbbbbb', 'ok', 100, 0),
          (2, 2, 'enterprise', 'jwt', 'sha256:xxxxxxxxxxxx', 'ok', 5, 0),
          (3, 2, 'enterprise', 'jwt', 'sha256:yyyyyyyyyyyy', 'ok', 5, 4),
          (4, 2, 'enterprise', 'jwt', 'sha256:yyyyyyyyyyyy', 'ok', 6, 0),
          (1, 3, 'personal', 'pat', 'sha256:333333333333', 'invalid', 1, 1),
          (2, 3, 'personal', 'pat', 'sha256:333333333333', 'invalid', 1, 1),
          (1, 4, 'personal', 'pat', 'sha256:444444444444', 'ok', 4, 0),
          (2, 4, 'personal', 'pat', 'sha256:444444444444', 'invalid', 1, 1),
          (3, 4, 'personal', 'pat', 'sha256:444444444444', 'ok', 4, 0),
          (4, 4, 'personal', 'pat', 'sha256:444444444444', 'invalid', 1, 1),
          (4, 5, 'enterprise', 'oauth', 'sha256:555555555555', 'error', 0, 0),
          (5, 6, 'enterprise', 'pat', 'sha256:666666666666', 'ok', 3, 0);
        """

    static let historyColumns = ["credential", "side", "auth", "fingerprint", "fingerprint_changed_in_run", "first_seen_run",
                                 "last_valid_run", "invalid_since_run", "runs", "requests", "failed_requests", "success_rate"]

    @Test("credential_history: first seen, last valid, invalid since, fingerprint change, success rate; 'running' runs ignored")
    func credentialHistory() throws {
        let db = try SeededStore(Self.history)
        let sql = try #require(AuditQueries.named("credential_history"))
        #expect(try db.columns(sql) == Self.historyColumns)
        #expect(try db.table(sql, ["run_id": 5]) == [
            ["enterprise-app", "enterprise", "jwt", "sha256:yyyyyyyyyyyy", "3", "2", "4", nil, "3", "16", "4", "75.0"],
            ["flapping", "personal", "pat", "sha256:444444444444", nil, "1", "3", "4", "4", "10", "2", "80.0"],
            ["old-pat", "personal", "pat", "sha256:333333333333", nil, "1", nil, "1", "2", "2", "2", "0.0"],
            ["personal-pat", "personal", "pat", "sha256:aaaaaaaaaaaa", nil, "1", "2", "3", "4", "24", "4", "83.3"],
            ["quiet", "enterprise", "oauth", "sha256:555555555555", nil, "4", nil, nil, "1", "0", "0", nil],
        ])
        // History up to run 2 only.
        #expect(try db.table(sql, ["run_id": 2]) == [
            ["enterprise-app", "enterprise", "jwt", "sha256:xxxxxxxxxxxx", nil, "2", "2", nil, "1", "5", "0", "100.0"],
            ["flapping", "personal", "pat", "sha256:444444444444", nil, "1", "1", "2", "2", "5", "1", "80.0"],
            ["old-pat", "personal", "pat", "sha256:333333333333", nil, "1", nil, "1", "2", "2", "2", "0.0"],
            ["personal-pat", "personal", "pat", "sha256:aaaaaaaaaaaa", nil, "1", "2", nil, "2", "22", "2", "90.9"],
        ])
        // The report's typed view of the same rows.
        let typed = try db.store.read { try CredentialHistory.load($0, upTo: 5) }
        #expect(typed.map { $0.credential } == ["enterprise-app", "flapping", "old-pat", "personal-pat", "quiet"])
        #expect(typed.first?.fingerprintChangedInRun == "3")
        #expect(typed.last?.successRate == nil)
    }

    @Test("credential_history: the fingerprint change is dated to the run where the new fingerprint first appeared, across skipped runs")
    func fingerprintChangeAcrossSkippedRuns() throws {
        // rotated-key is configured in run 1 (fingerprint P), left out of runs 2 and 3, and back
        // in run 4 with a new secret (Q): Q first appeared in run 4; the credential was in no run 2.
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
              (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
              (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'complete', 'http://sim'),
              (3, '2025-03-03T08:00:00Z', '2025-03-03T08:05:00Z', 'failed', 'http://sim'),
              (4, '2025-03-04T08:00:00Z', '2025-03-04T08:05:00Z', 'complete', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'rotated-key', 1), (2, 'steady', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, requests, failed_requests) VALUES
              (1, 1, 'personal', 'pat', 'sha256:pppppppppppp', 'ok', 1, 0),
              (4, 1, 'personal', 'pat', 'sha256:qqqqqqqqqqqq', 'ok', 1, 0),
              (1, 2, 'personal', 'pat', 'sha256:ssssssssssss', 'ok', 1, 0),
              (2, 2, 'personal', 'pat', 'sha256:ssssssssssss', 'ok', 1, 0),
              (3, 2, 'personal', 'pat', 'sha256:ssssssssssss', 'ok', 1, 0),
              (4, 2, 'personal', 'pat', 'sha256:ssssssssssss', 'ok', 1, 0);
            """)
        let sql = try #require(AuditQueries.named("credential_history"))
        let rows = try db.table("SELECT credential, fingerprint, fingerprint_changed_in_run FROM (\(FindingsEngine.strip(sql)))",
                                ["run_id": 4])
        #expect(rows == [
            ["rotated-key", "sha256:qqqqqqqqqqqq", "4"],
            ["steady", "sha256:ssssssssssss", nil],
        ])
    }

    // MARK: FallbackCheck

    /// Run 1 (complete): personal-pat saw conversation c9 and voice v9. Run 2 (current, running):
    ///   w1: personal-pat, enterprise-pat          w2: enterprise-app
    ///   b1: all three                             b2: enterprise-pat, enterprise-app
    ///   c1 (b1): personal-pat                     c2 (b1): enterprise-app
    ///   v1: personal-pat, enterprise-app          vs (system): everyone
    /// c9 and v9 are stranded in run 2.
    static let fallback = """
        INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
          (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
          (2, '2025-03-02T08:00:00Z', NULL, 'running', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1), (3, 'enterprise-app', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
          (1, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'ok'),
          (2, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (2, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
          (2, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'ok');
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('workspace', 'w1', 'Migrated', NULL, 0, 1, 2),
          ('workspace', 'w2', 'Enterprise', NULL, 0, 2, 2),
          ('bot', 'b1', 'Support', 'w1', 0, 1, 2),
          ('bot', 'b2', 'Sales', 'w2', 0, 2, 2),
          ('conversation', 'c1', 'Mine', 'b1', 0, 2, 2),
          ('conversation', 'c2', 'Theirs', 'b1', 0, 2, 2),
          ('conversation', 'c9', 'Old chat', 'b1', 0, 1, 1),
          ('voice', 'v1', 'Shared voice', NULL, 0, 2, 2),
          ('voice', 'v9', 'Old voice', NULL, 0, 1, 1),
          ('voice', 'vs', 'System', NULL, 1, 1, 2);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (1, 1, 'conversation', 'c9', 'b1', '{}'),
          (1, 1, 'voice', 'v9', NULL, '{}'),
          (2, 1, 'workspace', 'w1', NULL, '{}'), (2, 2, 'workspace', 'w1', NULL, '{}'),
          (2, 3, 'workspace', 'w2', NULL, '{}'),
          (2, 1, 'bot', 'b1', 'w1', '{}'), (2, 2, 'bot', 'b1', 'w1', '{}'), (2, 3, 'bot', 'b1', 'w1', '{}'),
          (2, 2, 'bot', 'b2', 'w2', '{}'), (2, 3, 'bot', 'b2', 'w2', '{}'),
          (2, 1, 'conversation', 'c1', 'b1', '{}'),
          (2, 3, 'conversation', 'c2', 'b1', '{}'),
          (2, 1, 'voice', 'v1', NULL, '{}'), (2, 3, 'voice', 'v1', NULL, '{}'),
          (2, 1, 'voice', 'vs', NULL, '{}'), (2, 2, 'voice', 'vs', NULL, '{}'), (2, 3, 'voice', 'vs', NULL, '{}');
        -- Run 2's answers: every identity step, workspace and voice listing, the bots of each
        -- workspace a credential sees and the conversations of each bot it sees answered code 0
        -- (b1's conversations and the personal voices are what make c9 and v9 stranded, not unknown).
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
          SELECT 2, id, 'GET /v1/users/me', 'user', '', '', 'ok' FROM credential;
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
          SELECT 2, id, 'GET /v1/workspaces', 'workspace', '', '', 'ok' FROM credential;
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
          SELECT 2, id, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok' FROM credential;
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
          SELECT 2, credential_id, 'GET /v1/bots', 'bot', resource_id, 'workspace_id=' || resource_id || '&publish_status=all', 'ok'
          FROM sighting WHERE run_id = 2 AND kind = 'workspace';
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
          SELECT 2, s.credential_id, 'GET /v1/conversations', 'conversation', s.resource_id,
                 'bot_id=' || s.resource_id || '&connector_id=' || k.id, 'ok'
          FROM sighting s CROSS JOIN (SELECT 1024 AS id UNION ALL SELECT 999) k
          WHERE s.run_id = 2 AND s.kind = 'bot';
        """

    @Test("FallbackCheck: chain order decides the credential a resource ends on; stranded resources are reached by none")
    func fallbackCheck() throws {
        let db = try SeededStore(Self.fallback)
        try FindingsEngine.compute(store: db.store, runID: 2)
        #expect(try db.table("SELECT key FROM finding WHERE run_id = 2 AND kind = 'stranded' ORDER BY key") ==
                [["stranded:conversation:c9"], ["stranded:voice:v9"]])

        let personalFirst = FallbackCheck.defaultChain([
            (name: "enterprise-pat", side: "enterprise"), (name: "personal-pat", side: "personal"),
            (name: "enterprise-app", side: "enterprise"),
        ])
        #expect(personalFirst == FallbackCheck.Chain(name: "personal → enterprise",
                                                     credentials: ["personal-pat", "enterprise-pat", "enterprise-app"]))
        let appFirst = FallbackCheck.Chain(name: "app first", credentials: ["enterprise-app", "enterprise-pat"])
        let check = try FallbackCheck.compute(store: db.store, runID: 2, chains: [personalFirst, appFirst])
        #expect(check.run == "2")
        #expect(check.chains.map { $0.chain } == [personalFirst, appFirst])
        #expect(Self.summary(check) == [
            "personal → enterprise workspace total=2 personal-pat=1 enterprise-pat=0 enterprise-app=1 none=0 []",
            "personal → enterprise bot total=2 personal-pat=1 enterprise-pat=1 enterprise-app=0 none=0 []",
            #"personal → enterprise conversation total=3 personal-pat=1 enterprise-pat=0 enterprise-app=1 none=1 [conversation:c9 "Old chat"]"#,
            #"personal → enterprise voice total=2 personal-pat=1 enterprise-pat=0 enterprise-app=0 none=1 [voice:v9 "Old voice"]"#,
            // Apps and workflows are checked too; this store has none.
            "personal → enterprise app total=0 personal-pat=0 enterprise-pat=0 enterprise-app=0 none=0 []",
            "personal → enterprise workflow total=0 personal-pat=0 enterprise-pat=0 enterprise-app=0 none=0 []",
            "app first workspace total=2 enterprise-app=1 enterprise-pat=1 none=0 []",
            "app first bot total=2 enterprise-app=2 enterprise-pat=0 none=0 []",
            #"app first conversation total=3 enterprise-app=1 enterprise-pat=0 none=2 [conversation:c1 "Mine", conversation:c9 "Old chat"]"#,
            #"app first voice total=2 enterprise-app=1 enterprise-pat=0 none=1 [voice:v9 "Old voice"]"#,
            "app first app total=0 enterprise-app=0 enterprise-pat=0 none=0 []",
            "app first workflow total=0 enterprise-app=0 enterprise-pat=0 none=0 []",
        ])
    }

    @Test("FallbackCheck.defaultChain: personal credentials first, then enterprise ones, each in config order")
    func defaultChainOrder() {
        let chain = FallbackCheck.defaultChain([
            (name: "ent-b", side: "enterprise"), (name: "pers-b", side: "personal"), (name: "ent-a", side: "enterprise"),
            (name: "pers-a", side: "personal"),
        ])
        #expect(chain.credentials == ["pers-b", "pers-a", "ent-b", "ent-a"])
        #expect(FallbackCheck.defaultChain([]).credentials.isEmpty)
    }

    static func summary(_ check: FallbackCheck) -> [String] {
        check.chains.flatMap { chain in
            chain.kinds.map { kind in
                let reached = kind.reachedOn.map { "\($0.credential)=\($0.count)" }.joined(separator: " ")
                return "\(chain.chain.name) \(kind.kind) total=\(kind.total) \(reached) none=\(kind.unreached) "
                    + "[\(kind.unreachedExamples.joined(separator: ", "))]"
            }
        }
    }
}

extension SeededStore {
    /// Runs one §3b finding query by hand with `:run_id` and `parameters`, then through
    /// `FindingsEngine.compute` with the same parameters, and compares both with `expected`
    /// (the stored rows of that kind must be the same, new in this run).
    func expectExtended(_ name: String, runID: Int64, parameters: [String: Int64] = [:], _ expected: [[String?]],
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sql = try #require(AuditQueries.findingQueries.first { $0.name == name }?.sql, "no finding query \(name)",
                               sourceLocation: sourceLocation)
        var arguments = parameters
        arguments["run_id"] = runID
        #expect(try columns(sql) == findingColumns, "columns of \(name)", sourceLocation: sourceLocation)
        #expect(try table(sql, StatementArguments(arguments)) == expected, "rows of \(name) in run \(runID)",
                sourceLocation: sourceLocation)

        var engineParameters = AuditQueries.defaultParameters
        engineParameters.merge(parameters) { _, new in new }
        try FindingsEngine.compute(store: store, runID: runID, parameters: engineParameters)
        let stored = try table("""
            SELECT key, kind, severity, resource_type, resource_id, credential, endpoint, code, reason, count,
                   seen_by, details, is_new, first_run_id
            FROM finding WHERE run_id = ? AND kind = ? ORDER BY key
            """, [runID, name])
        let expectedStored = expected.map { $0 + ["1", String(runID)] }.sorted { ($0[0] ?? "") < ($1[0] ?? "") }
        #expect(stored == expectedStored, "stored \(name) findings of run \(runID)", sourceLocation: sourceLocation)
    }
}
