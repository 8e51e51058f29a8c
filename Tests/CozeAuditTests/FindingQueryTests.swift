@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// Every file of `queries/` against seeded rows (docs/product.md §3): each query is run by hand with
/// `:run_id` and through `FindingsEngine`, and the whole ordered result is compared.
@Suite("Finding queries")
struct FindingQueryTests {
    /// Run 1 (complete) with personal-pat (id 1) and enterprise-pat (id 2), both valid: the
    /// identity step (GET /v1/users/me) answered code 0 for both, as a real run records it.
    static let base = """
        INSERT INTO run (id, started_at, finished_at, status, base_url)
          VALUES (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://127.0.0.1:8080');
        INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, pages, items) VALUES
          (1, 1, 'GET /v1/users/me', 'user', '', '', 'ok', 1, 1),
          (1, 2, 'GET /v1/users/me', 'user', '', '', 'ok', 1, 1);

        """

    // MARK: needs_personal_grant

    /// Personal-only conversation c1 and voice v1; c2 and v2 also seen by the enterprise;
    /// system voice vs seen by the personal PAT only.
    static let accountLevel = base + """
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('conversation', 'c1', 'Personal chat', 'b1', 0, 1, 1),
          ('conversation', 'c2', 'Shared chat', 'b1', 0, 1, 1),
          ('voice', 'v1', 'My voice', NULL, 0, 1, 1),
          ('voice', 'v2', 'Granted voice', NULL, 0, 1, 1),
          ('voice', 'vs', 'System voice', NULL, 1, 1, 1);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (1, 1, 'conversation', 'c1', 'b1', '{"id":"c1"}'),
          (1, 1, 'conversation', 'c2', 'b1', '{"id":"c2"}'),
          (1, 2, 'conversation', 'c2', 'b1', '{"id":"c2"}'),
          (1, 1, 'voice', 'v1', NULL, '{"voice_id":"v1"}'),
          (1, 1, 'voice', 'v2', NULL, '{"voice_id":"v2"}'),
          (1, 2, 'voice', 'v2', NULL, '{"voice_id":"v2"}'),
          (1, 1, 'voice', 'vs', NULL, '{"voice_id":"vs","is_system_voice":true}');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, pages, items) VALUES
          (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', 1, 2),
          (1, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', 1, 1),
          (1, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', 1, 3),
          (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', 1, 1);

        """

    @Test("needs_personal_grant: a personal-only conversation and voice; shared resources and system voices are left out")
    func needsPersonalGrant() throws {
        let db = try SeededStore(Self.accountLevel)
        try db.expectFindings(runID: 1, [
            "needs_personal_grant": [
                ["needs_personal_grant:conversation:c1", "needs_personal_grant", "high", "conversation", "c1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Personal chat","parent_id":"b1"}"#],
                ["needs_personal_grant:voice:v1", "needs_personal_grant", "high", "voice", "v1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"My voice","parent_id":null}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "2", "[]",
                 #"{"fingerprint":"sha256:111111111111","by_kind":{"conversation":1,"voice":1}}"#],
            ],
        ])
    }

    @Test("needs_personal_grant: a kind an enterprise credential failed to list is unknown, not a finding")
    func needsPersonalGrantBlindSpot() throws {
        // The enterprise voice listing could not be answered (HTTP 500): voices are unknown.
        // A failed listing of the personal PAT itself does not hide anything.
        let db = try SeededStore(Self.base + """
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('conversation', 'c1', 'Personal chat', 'b1', 0, 1, 1),
              ('voice', 'v1', 'My voice', NULL, 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'conversation', 'c1', 'b1', '{}'),
              (1, 1, 'voice', 'v1', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message) VALUES
              (1, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL, NULL),
              (1, 1, 'GET /v1/bots', 'bot', 'w9', 'workspace_id=w9&publish_status=all', 'error', 502, NULL, 'bad gateway'),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL),
              (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'error', 500, NULL, 'internal error');
            """)
        try db.expectFindings(runID: 1, [
            "needs_personal_grant": [
                ["needs_personal_grant:conversation:c1", "needs_personal_grant", "high", "conversation", "c1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Personal chat","parent_id":"b1"}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "2", "[]",
                 #"{"fingerprint":"sha256:111111111111","by_kind":{"conversation":1,"voice":1}}"#],
            ],
        ])
    }

    @Test("needs_personal_grant: a failed enterprise bot listing makes conversations unknown too (kind_dependency)")
    func needsPersonalGrantDependentBlindSpot() throws {
        let db = try SeededStore(Self.base + """
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('conversation', 'c1', 'Personal chat', 'b1', 0, 1, 1),
              ('voice', 'v1', 'My voice', NULL, 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'conversation', 'c1', 'b1', '{}'),
              (1, 1, 'voice', 'v1', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status) VALUES
              (1, 2, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'error', 503),
              (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL);
            """)
        #expect(try db.query("needs_personal_grant", runID: 1) == [
            ["needs_personal_grant:voice:v1", "needs_personal_grant", "high", "voice", "v1",
             nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"My voice","parent_id":null}"#],
        ])
    }

    /// A migrated workspace w1 with bot b1, seen by personal-pat and enterprise-pat; conversation c1
    /// of b1 and voice v1 stayed with the personal account. enterprise-pat was denied (4101) the
    /// conversations of b1 and the voices. enterprise-app (id 3) answered its identity step only.
    static let deniedGrant = base + """
        INSERT INTO credential (id, name, first_run_id) VALUES (3, 'enterprise-app', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'ok');
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('workspace', 'w1', 'Migrated space', NULL, 0, 1, 1),
          ('bot', 'b1', 'Support bot', 'w1', 0, 1, 1),
          ('conversation', 'c1', 'Personal chat', 'b1', 0, 1, 1),
          ('voice', 'v1', 'My voice', NULL, 0, 1, 1);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (1, 1, 'workspace', 'w1', NULL, '{}'), (1, 2, 'workspace', 'w1', NULL, '{}'),
          (1, 1, 'bot', 'b1', 'w1', '{}'), (1, 2, 'bot', 'b1', 'w1', '{}'),
          (1, 1, 'conversation', 'c1', 'b1', '{}'),
          (1, 1, 'voice', 'v1', NULL, '{}');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
          (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
          (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL),
          (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
          (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL, NULL),
          (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'denied', 200, 4101, 'no permission', 'log-c1'),
          (1, 2, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'denied', 200, 4101, 'no permission', 'log-c2'),
          (1, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission to list voices', 'log-v');

        """

    static let deniedGrantGap = ["enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices", "enterprise_permission_gap", "high",
                                 nil, nil, "enterprise-pat", "GET /v1/audio/voices", "4101", nil, "1", "[]",
                                 #"{"message":"no permission to list voices","logid":"log-v","workspaces":0,"personal_ok":["personal-pat"]}"#]
    static let deniedGrantKeep = ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                                  "personal-pat", nil, nil, nil, "2", "[]",
                                  #"{"fingerprint":"sha256:111111111111","by_kind":{"conversation":1,"voice":1}}"#]

    @Test("needs_personal_grant (evidence rule): silent when the enterprise's only listing of the voices, of the bot's conversations or of its workspace's bots was denied; present once another enterprise credential listed them")
    func needsPersonalGrantNeedsAnEnterpriseAnswer() throws {
        // Evidence rule (docs/evidence.md §5): a 4101 is "not observed", not "does not see it".
        // The voices 4101 is account-level, so it is a permission gap; the 4101 on b1's conversations
        // (one workspace) is not. Neither is advice to grant personal resources.
        let denied = try SeededStore(Self.deniedGrant)
        try denied.expectFindings(runID: 1, [
            "enterprise_permission_gap": [Self.deniedGrantGap],
            "pat_still_required": [Self.deniedGrantKeep],
        ])

        // The enterprise listed the conversations of another bot successfully, but b1's were denied:
        // still silent for c1 (the denial is about its very parent).
        let otherBot = try SeededStore(Self.deniedGrant + """
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('bot', 'b2', 'Sales bot', 'w1', 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'bot', 'b2', 'w1', '{}'), (1, 2, 'bot', 'b2', 'w1', '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
              (1, 1, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok'),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok');
            """)
        #expect(try otherBot.query("needs_personal_grant", runID: 1) == [])

        // No enterprise credential listed any conversation (its bot listing of w1 answered with no
        // bot): nothing answered for c1.
        let noListing = try SeededStore(Self.deniedGrant + """
            DELETE FROM sighting WHERE credential_id = 2 AND kind = 'bot';
            DELETE FROM listing WHERE credential_id = 2 AND kind = 'conversation';
            """)
        #expect(try noListing.query("needs_personal_grant", runID: 1) == [])

        // The enterprise was denied the bots of w1 (so it never looked for b1's conversations) while it
        // listed another workspace's bot's conversations successfully: still silent for c1, the denial
        // is one level up its parent chain.
        let botsDenied = try SeededStore(Self.deniedGrant + """
            DELETE FROM sighting WHERE credential_id = 2 AND kind = 'bot';
            DELETE FROM listing WHERE credential_id = 2 AND kind = 'conversation';
            UPDATE listing SET status = 'denied', http_status = 200, code = 4101, message = 'no permission'
              WHERE credential_id = 2 AND kind = 'bot' AND parent_id = 'w1';
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('workspace', 'w2', 'Other space', NULL, 0, 1, 1), ('bot', 'b2', 'Other bot', 'w2', 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 2, 'workspace', 'w2', NULL, '{}'), (1, 2, 'bot', 'b2', 'w2', '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
              (1, 2, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok'),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok');
            """)
        #expect(try botsDenied.query("needs_personal_grant", runID: 1) == [])

        // Positive control: enterprise-app listed w1, b1's conversations and the voices successfully
        // and sees neither c1 nor v1; enterprise-pat's denials are covered by that answer.
        let answered = try SeededStore(Self.deniedGrant + """
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 3, 'workspace', 'w1', NULL, '{}'), (1, 3, 'bot', 'b1', 'w1', '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
              (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok'),
              (1, 3, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok'),
              (1, 3, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok'),
              (1, 3, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'ok'),
              (1, 3, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok');
            """)
        try answered.expectFindings(runID: 1, [
            "enterprise_permission_gap": [Self.deniedGrantGap],
            "needs_personal_grant": [
                ["needs_personal_grant:conversation:c1", "needs_personal_grant", "high", "conversation", "c1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Personal chat","parent_id":"b1"}"#],
                ["needs_personal_grant:voice:v1", "needs_personal_grant", "high", "voice", "v1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"My voice","parent_id":null}"#],
            ],
            "pat_still_required": [Self.deniedGrantKeep],
        ])
    }

    // MARK: not_visible_to_enterprise

    /// w1/b1 personal only (w1 also seen by team-pat, id 3); w2/b2 migrated and seen by the enterprise.
    static let workspaceLevel = base + """
        INSERT INTO credential (id, name, first_run_id) VALUES (3, 'team-pat', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 3, 'personal', 'pat', 'sha256:333333333333', 'ok');
        INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
          ('workspace', 'w1', 'Personal space', NULL, 0, 1, 1),
          ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1),
          ('bot', 'b1', 'Draft bot', 'w1', 0, 1, 1),
          ('bot', 'b2', 'Shared bot', 'w2', 0, 1, 1);
        INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
          (1, 1, 'workspace', 'w1', NULL, '{}'),
          (1, 3, 'workspace', 'w1', NULL, '{}'),
          (1, 1, 'workspace', 'w2', NULL, '{}'),
          (1, 2, 'workspace', 'w2', NULL, '{}'),
          (1, 1, 'bot', 'b1', 'w1', '{}'),
          (1, 1, 'bot', 'b2', 'w2', '{}'),
          (1, 2, 'bot', 'b2', 'w2', '{}');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, pages, items) VALUES
          (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', 1, 1),
          (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok', 1, 2),
          (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', 1, 1),
          (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok', 1, 1),
          (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', 1, 1),
          (1, 1, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', 1, 1),
          (1, 2, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', 1, 1),
          (1, 3, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', 1, 0);

        """

    @Test("not_visible_to_enterprise: a personal-only workspace and bot, with everyone who sees them")
    func notVisibleToEnterprise() throws {
        let db = try SeededStore(Self.workspaceLevel)
        try db.expectFindings(runID: 1, [
            "not_visible_to_enterprise": [
                ["not_visible_to_enterprise:bot:b1", "not_visible_to_enterprise", "medium", "bot", "b1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Draft bot","parent_id":"w1"}"#],
                ["not_visible_to_enterprise:workspace:w1", "not_visible_to_enterprise", "medium", "workspace", "w1",
                 nil, nil, nil, nil, nil, #"["personal-pat","team-pat"]"#, #"{"name":"Personal space","parent_id":null}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "2", "[]",
                 #"{"fingerprint":"sha256:111111111111","by_kind":{"bot":1,"workspace":1}}"#],
                ["pat_still_required:team-pat", "pat_still_required", "info", nil, nil,
                 "team-pat", nil, nil, nil, "1", "[]",
                 #"{"fingerprint":"sha256:333333333333","by_kind":{"workspace":1}}"#],
            ],
        ])
    }

    @Test("not_visible_to_enterprise: nothing when the enterprise workspace listing failed")
    func notVisibleBlindSpot() throws {
        let db = try SeededStore(Self.workspaceLevel + """
            UPDATE listing SET status = 'error', http_status = 504, message = 'timeout'
              WHERE credential_id = 2 AND endpoint = 'GET /v1/workspaces';
            """)
        #expect(try db.query("not_visible_to_enterprise", runID: 1) == [])
    }

    @Test("not_visible_to_enterprise (evidence rule): silent when the enterprise's workspace listing, or the bots of the bot's workspace, were denied; a bot present once another enterprise credential listed them")
    func notVisibleNeedsAnEnterpriseAnswer() throws {
        let keepTeam = ["pat_still_required:team-pat", "pat_still_required", "info", nil, nil,
                        "team-pat", nil, nil, nil, "1", "[]", #"{"fingerprint":"sha256:333333333333","by_kind":{"workspace":1}}"#]
        let visibleB1 = ["not_visible_to_enterprise:bot:b1", "not_visible_to_enterprise", "medium", "bot", "b1",
                         nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Draft bot","parent_id":"w1"}"#]
        let visibleW1 = ["not_visible_to_enterprise:workspace:w1", "not_visible_to_enterprise", "medium", "workspace", "w1",
                         nil, nil, nil, nil, nil, #"["personal-pat","team-pat"]"#, #"{"name":"Personal space","parent_id":null}"#]

        // The enterprise's only workspace listing answered 4101: it saw nothing, which is "not
        // observed", not "not visible". The account-level 4101 is a permission gap instead.
        let workspacesDenied = try SeededStore(Self.workspaceLevel + """
            DELETE FROM sighting WHERE credential_id = 2;
            DELETE FROM listing WHERE credential_id = 2 AND kind <> 'user';
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'denied', 200, 4101, 'no permission', 'log-w');
            """)
        try workspacesDenied.expectFindings(runID: 1, [
            "enterprise_permission_gap": [
                ["enterprise_permission_gap:enterprise-pat:GET /v1/workspaces", "enterprise_permission_gap", "high", nil, nil,
                 "enterprise-pat", "GET /v1/workspaces", "4101", nil, "1", "[]",
                 #"{"message":"no permission","logid":"log-w","workspaces":0,"personal_ok":["personal-pat","team-pat"]}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "4", "[]",
                 #"{"fingerprint":"sha256:111111111111","by_kind":{"bot":2,"workspace":2}}"#],
                keepTeam,
            ],
        ])

        // The enterprise listed w2 but its bots were denied: b2 is not observed (silent); w1 and b1
        // (whose workspace the enterprise does not see at all) stay. One workspace: no gap either.
        let botsDenied = Self.workspaceLevel + """
            UPDATE listing SET status = 'denied', http_status = 200, code = 4101, message = 'no permission'
              WHERE credential_id = 2 AND endpoint = 'GET /v1/bots';
            DELETE FROM sighting WHERE credential_id = 2 AND kind = 'bot';

            """
        let keepPersonal = ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                            "personal-pat", nil, nil, nil, "3", "[]",
                            #"{"fingerprint":"sha256:111111111111","by_kind":{"bot":2,"workspace":1}}"#]
        try SeededStore(botsDenied).expectFindings(runID: 1, [
            "not_visible_to_enterprise": [visibleB1, visibleW1],
            "pat_still_required": [keepPersonal, keepTeam],
        ])

        // Positive control: enterprise-app (id 4) listed w2's bots successfully and b2 is not among
        // them (a personal draft): now "not visible to the enterprise" is an observation.
        let covered = try SeededStore(botsDenied + """
            INSERT INTO credential (id, name, first_run_id) VALUES (4, 'enterprise-app', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
              (1, 4, 'enterprise', 'jwt', 'sha256:444444444444', 'ok');
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 4, 'workspace', 'w2', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
              (1, 4, 'GET /v1/users/me', 'user', '', '', 'ok'),
              (1, 4, 'GET /v1/workspaces', 'workspace', '', '', 'ok'),
              (1, 4, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok');
            """)
        try covered.expectFindings(runID: 1, [
            "not_visible_to_enterprise": [
                visibleB1,
                ["not_visible_to_enterprise:bot:b2", "not_visible_to_enterprise", "medium", "bot", "b2",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Shared bot","parent_id":"w2"}"#],
                visibleW1,
            ],
            "pat_still_required": [keepPersonal, keepTeam],
        ])
    }

    // MARK: stale_pat

    @Test("stale_pat: invalid vs superseded (naming its 4101 listings); not for a failed listing, an exclusive resource, an app or the enterprise side")
    func stalePAT() throws {
        let db = try SeededStore(Self.base + """
            INSERT INTO credential (id, name, first_run_id) VALUES
              (3, 'old-pat', 1), (4, 'team-pat', 1), (5, 'flaky-pat', 1), (6, 'personal-app', 1), (7, 'enterprise-old', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, detail) VALUES
              (1, 3, 'personal', 'pat', 'sha256:333333333333', 'invalid', 'HTTP 401 code 4100: authentication is invalid'),
              (1, 4, 'personal', 'pat', 'sha256:444444444444', 'ok', NULL),
              (1, 5, 'personal', 'pat', 'sha256:555555555555', 'ok', NULL),
              (1, 6, 'personal', 'jwt', 'sha256:666666666666', 'ok', NULL),
              (1, 7, 'enterprise', 'pat', 'sha256:777777777777', 'invalid', 'code 4100');
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('conversation', 'c1', 'Chat', 'b1', 0, 1, 1),
              ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1),
              ('bot', 'b2', 'Shared bot', 'w2', 0, 1, 1),
              ('voice', 'vs', 'System voice', NULL, 1, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'conversation', 'c1', 'b1', '{}'),
              (1, 2, 'workspace', 'w2', NULL, '{}'),
              (1, 2, 'bot', 'b2', 'w2', '{}'),
              (1, 4, 'workspace', 'w2', NULL, '{}'),
              (1, 4, 'bot', 'b2', 'w2', '{}'),
              (1, 4, 'voice', 'vs', NULL, '{}'),
              (1, 5, 'workspace', 'w2', NULL, '{}'),
              (1, 6, 'workspace', 'w2', NULL, '{}');
            -- The identity steps as a real run records them (personal-pat and enterprise-pat: base);
            -- the enterprise listed w2, its bot b2 and b2's conversations; personal-pat listed b1's.
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message) VALUES
              (1, 3, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100, 'authentication is invalid'),
              (1, 7, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100, 'authentication is invalid'),
              (1, 4, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL),
              (1, 5, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL),
              (1, 6, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL),
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 2, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', NULL, NULL, NULL),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok', NULL, NULL, NULL),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=999', 'ok', NULL, NULL, NULL),
              (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL),
              (1, 4, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 4, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', NULL, NULL, NULL),
              (1, 4, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'denied', 200, 4101, 'no permission'),
              (1, 4, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=999', 'denied', 200, 4101, 'no permission'),
              (1, 4, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission'),
              (1, 5, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 5, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'error', 502, NULL, 'bad gateway');
            """)
        try db.expectFindings(runID: 1, [
            "needs_personal_grant": [
                ["needs_personal_grant:conversation:c1", "needs_personal_grant", "high", "conversation", "c1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Chat","parent_id":"b1"}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "1", "[]",
                 #"{"fingerprint":"sha256:111111111111","by_kind":{"conversation":1}}"#],
            ],
            "stale_pat": [
                ["stale_pat:old-pat", "stale_pat", "medium", nil, nil, "old-pat", nil, nil, "invalid", "0", "[]",
                 #"{"fingerprint":"sha256:333333333333","detail":"HTTP 401 code 4100: authentication is invalid","not_observed":[]}"#],
                ["stale_pat:team-pat", "stale_pat", "low", nil, nil, "team-pat", nil, nil, "superseded", "2", "[]",
                 #"{"fingerprint":"sha256:444444444444","detail":null,"not_observed":["GET /v1/audio/voices","GET /v1/conversations"]}"#],
            ],
        ])
    }

    @Test("stale_pat superseded (evidence rule): only after users/me answered code 0 and at least one listing answered code 0")
    func supersededNeedsAnswers() throws {
        // Every personal PAT below sees only w2, which the enterprise sees too.
        //   answered-pat:       users/me ok, workspaces ok             → superseded (positive control)
        //   profile-denied-pat: users/me 4101 (crawl went on), workspaces ok → not: 4101 is not code 0
        //   no-profile-pat:     no users/me listing, workspaces ok     → not: the identity step has no answer
        //   only-denied-pat:    users/me ok, every listing 4101        → not: nothing answered code 0
        //   personal-pat:       users/me ok (base), no listing at all   → not (no longer "vacuously superseded")
        let db = try SeededStore(Self.base + """
            INSERT INTO credential (id, name, first_run_id) VALUES
              (3, 'answered-pat', 1), (4, 'profile-denied-pat', 1), (5, 'no-profile-pat', 1), (6, 'only-denied-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, detail) VALUES
              (1, 3, 'personal', 'pat', 'sha256:333333333333', 'ok', NULL),
              (1, 4, 'personal', 'pat', 'sha256:444444444444', 'ok', 'code 4101: The token you entered is incorrect.'),
              (1, 5, 'personal', 'pat', 'sha256:555555555555', 'ok', NULL),
              (1, 6, 'personal', 'pat', 'sha256:666666666666', 'ok', NULL);
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 2, 'workspace', 'w2', NULL, '{}'), (1, 3, 'workspace', 'w2', NULL, '{}'),
              (1, 4, 'workspace', 'w2', NULL, '{}'), (1, 5, 'workspace', 'w2', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message) VALUES
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL),
              (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 4, 'GET /v1/users/me', 'user', '', '', 'denied', 200, 4101, 'The token you entered is incorrect.'),
              (1, 4, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 5, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL),
              (1, 6, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL),
              (1, 6, 'GET /v1/workspaces', 'workspace', '', '', 'denied', 200, 4101, 'no permission'),
              (1, 6, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission');
            """)
        try db.expectFindings(runID: 1, [
            "stale_pat": [
                ["stale_pat:answered-pat", "stale_pat", "low", nil, nil, "answered-pat", nil, nil, "superseded", "1", "[]",
                 #"{"fingerprint":"sha256:333333333333","detail":null,"not_observed":[]}"#],
            ],
        ])

        // The same PAT once its users/me is denied (4101) instead: no longer superseded.
        let denied = try SeededStore(Self.base)
        try denied.seed("""
            INSERT INTO credential (id, name, first_run_id) VALUES (3, 'answered-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
              (1, 3, 'personal', 'pat', 'sha256:333333333333', 'ok');
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 2, 'workspace', 'w2', NULL, '{}'), (1, 3, 'workspace', 'w2', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code) VALUES
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL);
            """)
        #expect(try denied.query("stale_pat", runID: 1).map { $0[0] } == ["stale_pat:answered-pat"])
        try denied.seed("""
            UPDATE listing SET status = 'denied', http_status = 200, code = 4101
              WHERE credential_id = 3 AND endpoint = 'GET /v1/users/me';
            """)
        #expect(try denied.query("stale_pat", runID: 1) == [])
    }

    // MARK: pat_still_required

    @Test("pat_still_required: the count and by_kind of resources only a valid personal PAT sees")
    func patStillRequired() throws {
        // personal-app (a personal JWT app) and team-enterprise (an enterprise PAT) see resources
        // nobody else does, but neither is a personal PAT.
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-03-01T08:00:00Z', 'complete', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES
              (1, 'personal-app', 1), (2, 'enterprise-pat', 1), (3, 'personal-pat', 1), (4, 'old-pat', 1), (5, 'team-enterprise', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
              (1, 1, 'personal', 'jwt', 'sha256:111111111111', 'ok'),
              (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
              (1, 3, 'personal', 'pat', 'sha256:333333333333', 'ok'),
              (1, 4, 'personal', 'pat', 'sha256:444444444444', 'invalid'),
              (1, 5, 'enterprise', 'pat', 'sha256:555555555555', 'ok');
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('workspace', 'w1', 'Personal space', NULL, 0, 1, 1),
              ('workspace', 'w3', 'Enterprise only', NULL, 0, 1, 1),
              ('bot', 'b1', 'Bot', 'w1', 0, 1, 1),
              ('conversation', 'c1', 'One', 'b1', 0, 1, 1),
              ('conversation', 'c2', 'Two', 'b1', 0, 1, 1),
              ('bot', 'b3', 'Enterprise bot', 'w3', 0, 1, 1),
              ('voice', 'v2', 'Granted voice', NULL, 0, 1, 1),
              ('voice', 'vs', 'System voice', NULL, 1, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 5, 'bot', 'b3', 'w3', '{}'),
              (1, 1, 'workspace', 'w1', NULL, '{}'),
              (1, 3, 'workspace', 'w1', NULL, '{}'),
              (1, 3, 'bot', 'b1', 'w1', '{}'),
              (1, 3, 'conversation', 'c1', 'b1', '{}'),
              (1, 3, 'conversation', 'c2', 'b1', '{}'),
              (1, 3, 'voice', 'v2', NULL, '{}'),
              (1, 2, 'voice', 'v2', NULL, '{}'),
              (1, 3, 'voice', 'vs', NULL, '{}'),
              (1, 5, 'workspace', 'w3', NULL, '{}');
            -- The listings behind those sightings, as a real run records them: the enterprise listed
            -- workspaces, voices and the conversations of its bot b3 (it answered, so "the enterprise
            -- does not see c1, c2, w1, b1" is an observation); personal-app was denied w1's bots.
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code) VALUES
              (1, 1, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
              (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'denied', 200, 4101),
              (1, 2, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
              (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=999', 'ok', NULL, NULL),
              (1, 3, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL),
              (1, 4, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100),
              (1, 5, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL),
              (1, 5, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL),
              (1, 5, 'GET /v1/bots', 'bot', 'w3', 'workspace_id=w3&publish_status=all', 'ok', NULL, NULL),
              (1, 5, 'GET /v1/conversations', 'conversation', 'b3', 'bot_id=b3&connector_id=1024', 'ok', NULL, NULL),
              (1, 5, 'GET /v1/conversations', 'conversation', 'b3', 'bot_id=b3&connector_id=999', 'ok', NULL, NULL),
              (1, 5, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL);
            """)
        try db.expectFindings(runID: 1, [
            "needs_personal_grant": [
                ["needs_personal_grant:conversation:c1", "needs_personal_grant", "high", "conversation", "c1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"One","parent_id":"b1"}"#],
                ["needs_personal_grant:conversation:c2", "needs_personal_grant", "high", "conversation", "c2",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Two","parent_id":"b1"}"#],
            ],
            "not_visible_to_enterprise": [
                ["not_visible_to_enterprise:bot:b1", "not_visible_to_enterprise", "medium", "bot", "b1",
                 nil, nil, nil, nil, nil, #"["personal-pat"]"#, #"{"name":"Bot","parent_id":"w1"}"#],
                ["not_visible_to_enterprise:workspace:w1", "not_visible_to_enterprise", "medium", "workspace", "w1",
                 nil, nil, nil, nil, nil, #"["personal-app","personal-pat"]"#, #"{"name":"Personal space","parent_id":null}"#],
            ],
            "pat_still_required": [
                ["pat_still_required:personal-pat", "pat_still_required", "info", nil, nil,
                 "personal-pat", nil, nil, nil, "4", "[]",
                 #"{"fingerprint":"sha256:333333333333","by_kind":{"bot":1,"conversation":2,"workspace":1}}"#],
            ],
            "stale_pat": [
                ["stale_pat:old-pat", "stale_pat", "medium", nil, nil, "old-pat", nil, nil, "invalid", "0", "[]",
                 #"{"fingerprint":"sha256:444444444444","detail":null,"not_observed":[]}"#],
            ],
        ])
    }

    // MARK: enterprise_permission_gap

    static let permissionGap = """
        INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-03-01T08:00:00Z', 'complete', 'http://sim');
        INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1), (3, 'enterprise-app', 1);
        INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
          (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
          (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
          (1, 3, 'enterprise', 'jwt', 'sha256:333333333333', 'ok');
        INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
          (1, 1, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/users/me', 'user', '', '', 'denied', 200, 4101, 'no permission', 'log-u'),
          (1, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission to list voices', 'log-v'),
          (1, 3, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission to list voices', 'log-v3'),
          (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
          (1, 2, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'denied', 200, 4101, 'no permission', 'log-b1'),
          (1, 2, 'GET /v1/bots', 'bot', 'w3', 'workspace_id=w3&publish_status=all', 'denied', 200, 4101, 'no permission', 'log-b2'),
          (1, 3, 'GET /v1/conversations', 'conversation', 'b5', 'bot_id=b5&connector_id=1024', 'denied', 200, 4101, 'no permission', 'log-c'),
          (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'denied', 200, 4101, 'no permission', 'log-w'),
          (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL);

        """

    @Test("enterprise_permission_gap: only where a personal credential succeeded on the same endpoint")
    func enterprisePermissionGap() throws {
        // Not gaps: the enterprise 4101 on /v1/users/me (the profile, not a listing), enterprise-app's
        // 4101 on conversations (no personal credential listed conversations), and personal-pat's
        // 4101 on workspaces (the other way round).
        let db = try SeededStore(Self.permissionGap)
        try db.expectFindings(runID: 1, [
            "enterprise_permission_gap": [
                ["enterprise_permission_gap:enterprise-app:GET /v1/audio/voices", "enterprise_permission_gap", "high", nil, nil,
                 "enterprise-app", "GET /v1/audio/voices", "4101", nil, "1", "[]",
                 #"{"message":"no permission to list voices","logid":"log-v3","workspaces":0,"personal_ok":["personal-pat"]}"#],
                ["enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices", "enterprise_permission_gap", "high", nil, nil,
                 "enterprise-pat", "GET /v1/audio/voices", "4101", nil, "1", "[]",
                 #"{"message":"no permission to list voices","logid":"log-v","workspaces":0,"personal_ok":["personal-pat"]}"#],
                ["enterprise_permission_gap:enterprise-pat:GET /v1/bots", "enterprise_permission_gap", "high", nil, nil,
                 "enterprise-pat", "GET /v1/bots", "4101", nil, "2", "[]",
                 #"{"message":"no permission","logid":"log-b2","workspaces":2,"personal_ok":["personal-pat"]}"#],
            ],
            // A valid PAT that sees nothing and failed no listing: vacuously superseded (docs/product.md §3).
            "stale_pat": [
                ["stale_pat:personal-pat", "stale_pat", "low", nil, nil, "personal-pat", nil, nil, "superseded", "0", "[]",
                 #"{"fingerprint":"sha256:111111111111","detail":null,"not_observed":["GET /v1/workspaces"]}"#],
            ],
        ])
    }

    /// The gap keys and counts of `enterprise_permission_gap` for run 1.
    static func gaps(_ db: SeededStore) throws -> [String] {
        try db.query("enterprise_permission_gap", runID: 1).map { "\($0[0] ?? "") count=\($0[9] ?? "")" }
    }

    @Test("enterprise_permission_gap (evidence rule): a bots 4101 in one workspace only, or next to a successful bots listing of the same credential, is no gap; in two workspaces it is")
    func permissionGapIsEndpointWide() throws {
        let voices = ["enterprise_permission_gap:enterprise-app:GET /v1/audio/voices count=1",
                      "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices count=1"]
        // Positive control: 4101 on the bots of w2 and w3 (two workspaces).
        #expect(try Self.gaps(SeededStore(Self.permissionGap)) ==
                [voices[0], voices[1], "enterprise_permission_gap:enterprise-pat:GET /v1/bots count=2"])
        // Evidence rule: one workspace only is "not observed" for that workspace, not a missing permission point.
        #expect(try Self.gaps(SeededStore(Self.permissionGap + """
            DELETE FROM listing WHERE credential_id = 2 AND params = 'workspace_id=w3&publish_status=all';
            """)) == voices)
        // Evidence rule: the same credential listed the bots of w4 successfully: it has the permission point.
        #expect(try Self.gaps(SeededStore(Self.permissionGap + """
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status) VALUES
              (1, 2, 'GET /v1/bots', 'bot', 'w4', 'workspace_id=w4&publish_status=all', 'ok');
            """)) == voices)
    }

    @Test("enterprise_permission_gap (evidence rule): a bare HTTP 403 without a Coze envelope is no gap, whether stored as denied or as a failure")
    func bare403IsNoGap() throws {
        // Evidence rule: the old rule also counted a 'denied' listing with HTTP 403 and no code
        // (stores written before the evidence rules); only a 4101 answer counts now.
        #expect(try Self.gaps(SeededStore(Self.permissionGap + """
            UPDATE listing SET code = NULL, http_status = 403, message = 'Forbidden'
              WHERE credential_id = 2 AND endpoint = 'GET /v1/audio/voices';
            """)) == ["enterprise_permission_gap:enterprise-app:GET /v1/audio/voices count=1",
                      "enterprise_permission_gap:enterprise-pat:GET /v1/bots count=2"])
        // What a run records now: a page without envelope is a failed listing.
        #expect(try Self.gaps(SeededStore(Self.permissionGap + """
            UPDATE listing SET status = 'error', code = NULL, http_status = 403, message = 'Forbidden'
              WHERE credential_id = 2 AND endpoint = 'GET /v1/audio/voices';
            """)) == ["enterprise_permission_gap:enterprise-app:GET /v1/audio/voices count=1",
                      "enterprise_permission_gap:enterprise-pat:GET /v1/bots count=2"])
    }

    @Test("enterprise_permission_gap (evidence rule): conversations 4101 count per workspace of the bot: two bots of one workspace are no gap, bots of two workspaces are")
    func conversationGapGroupsByWorkspace() throws {
        // personal-pat listed conversations successfully; enterprise-app was denied those of b5
        // (already in the seed) and b6, both in w2.
        let oneWorkspace = Self.permissionGap + """
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('bot', 'b5', 'Bot five', 'w2', 0, 1, 1),
              ('bot', 'b6', 'Bot six', 'w2', 0, 1, 1),
              ('bot', 'b7', 'Bot seven', 'w3', 0, 1, 1);
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
              (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL, NULL),
              (1, 3, 'GET /v1/conversations', 'conversation', 'b6', 'bot_id=b6&connector_id=1024', 'denied', 200, 4101, 'no permission', 'log-c6');

            """
        let base = ["enterprise_permission_gap:enterprise-app:GET /v1/audio/voices count=1",
                    "enterprise_permission_gap:enterprise-pat:GET /v1/audio/voices count=1",
                    "enterprise_permission_gap:enterprise-pat:GET /v1/bots count=2"]
        #expect(try Self.gaps(SeededStore(oneWorkspace)) == base)
        // Positive control: b7 of w3 denied too: two workspaces.
        let twoWorkspaces = try SeededStore(oneWorkspace + """
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
              (1, 3, 'GET /v1/conversations', 'conversation', 'b7', 'bot_id=b7&connector_id=1024', 'denied', 200, 4101, 'no permission', 'log-c7');
            """)
        #expect(try Self.gaps(twoWorkspaces) ==
                [base[0], "enterprise_permission_gap:enterprise-app:GET /v1/conversations count=3", base[1], base[2]])
        let conversations = try twoWorkspaces.query("enterprise_permission_gap", runID: 1).filter { $0[6] == "GET /v1/conversations" }
        #expect(conversations.map { $0[11] } ==
                [#"{"message":"no permission","logid":"log-c7","workspaces":2,"personal_ok":["personal-pat"]}"#])
    }

    @Test("enterprise_permission_gap: a not-found (4200) on an enterprise listing is not a permission gap")
    func notFoundIsNotAGap() throws {
        // The bot went away between the enterprise's bot listing and its conversation listing:
        // the crawler records 4200 as 'denied' (CrawlSession.status), but docs/product.md §3 defines a gap
        // as a 4101 for the credential as such.
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, status, base_url) VALUES (1, '2025-03-01T08:00:00Z', 'complete', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
              (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'),
              (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
              (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'denied', 200, 4200, 'bot not found', 'log-nf');
            """)
        #expect(try db.query("enterprise_permission_gap", runID: 1) == [])
    }

    @Test("a query reads only its own run")
    func otherRunsAreIgnored() throws {
        let db = try SeededStore(Self.accountLevel + """
            INSERT INTO run (id, started_at, status, base_url) VALUES (2, '2025-03-02T08:00:00Z', 'complete', 'http://sim');
            """)
        for name in findingQueryNames {
            #expect(try db.query(name, runID: 2) == [], "\(name) on an empty run")
        }
    }

    // MARK: new

    @Test("new: a persisting key keeps its first run and is not new; a partial run in between is not the previous run")
    func newAcrossRuns() throws {
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, finished_at, status, base_url) VALUES
              (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://sim'),
              (2, '2025-03-02T08:00:00Z', '2025-03-02T08:05:00Z', 'partial', 'http://sim'),
              (3, '2025-03-03T08:00:00Z', NULL, 'running', 'http://sim');
            INSERT INTO credential (id, name, first_run_id) VALUES (1, 'personal-pat', 1), (2, 'enterprise-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status) VALUES
              (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'), (1, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
              (2, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'), (2, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok'),
              (3, 1, 'personal', 'pat', 'sha256:111111111111', 'ok'), (3, 2, 'enterprise', 'pat', 'sha256:222222222222', 'ok');
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('conversation', 'c1', 'Kept', 'b1', 0, 1, 3),
              ('conversation', 'c2', 'Gone', 'b1', 0, 1, 1),
              ('conversation', 'c3', 'Seen in the partial run', 'b1', 0, 2, 3),
              ('conversation', 'c4', 'Fresh', 'b1', 0, 3, 3);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'conversation', 'c1', 'b1', '{}'), (1, 1, 'conversation', 'c2', 'b1', '{}'),
              (2, 1, 'conversation', 'c3', 'b1', '{}'),
              (3, 1, 'conversation', 'c1', 'b1', '{}'), (3, 1, 'conversation', 'c3', 'b1', '{}'), (3, 1, 'conversation', 'c4', 'b1', '{}');
            -- Run 2 is partial because one personal listing could not be answered; the
            -- enterprise listed everything, so c3 is a finding of run 2.
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status) VALUES
              (2, 1, 'GET /v1/bots', 'bot', 'w9', 'workspace_id=w9&publish_status=all', 'error', 503);
            -- In every run both identity steps answered and both credentials listed b1's conversations
            -- (both connectors): the enterprise's answer is what makes c1..c4 unseen by it.
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
              SELECT r.id, c.id, 'GET /v1/users/me', 'user', '', '', 'ok' FROM run r CROSS JOIN credential c;
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status)
              SELECT r.id, c.id, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=' || k.id, 'ok'
              FROM run r CROSS JOIN credential c CROSS JOIN (SELECT 1024 AS id UNION ALL SELECT 999) k;
            """)
        for run: Int64 in [1, 2, 3] { try FindingsEngine.compute(store: db.store, runID: run) }
        let summary = """
            SELECT key, count, is_new, first_run_id FROM finding
            WHERE run_id = ? AND kind IN ('needs_personal_grant', 'pat_still_required') ORDER BY key
            """

        #expect(try db.table(summary, [1]) == [
            ["needs_personal_grant:conversation:c1", nil, "1", "1"],
            ["needs_personal_grant:conversation:c2", nil, "1", "1"],
            ["pat_still_required:personal-pat", "2", "1", "1"],
        ])
        #expect(try db.table(summary, [2]) == [
            ["needs_personal_grant:conversation:c3", nil, "1", "2"],
            ["pat_still_required:personal-pat", "1", "0", "1"],
        ])
        #expect(try db.table(summary, [3]) == [
            ["needs_personal_grant:conversation:c1", nil, "0", "1"],
            ["needs_personal_grant:conversation:c3", nil, "1", "3"],
            ["needs_personal_grant:conversation:c4", nil, "1", "3"],
            ["pat_still_required:personal-pat", "3", "0", "1"],
        ])
        #expect(try db.store.read { try FindingsEngine.previousCompleteRun($0, before: 3) } == 1)

        // Computing again gives the same rows.
        try FindingsEngine.compute(store: db.store, runID: 3)
        #expect(try db.table(summary, [3]).map { $0[2] } == ["0", "1", "1", "0"])

        let report = try ReportBuilder.build(store: db.store, runID: 3)
        #expect(report.previousRun == "1")
        #expect(report.findings.filter { findingQueryNames.contains($0.kind) }.map { "\($0.key) new=\($0.new) first=\($0.firstSeenRun)" } == [
            "needs_personal_grant:conversation:c1 new=false first=1",
            "needs_personal_grant:conversation:c3 new=true first=3",
            "needs_personal_grant:conversation:c4 new=true first=3",
            "pat_still_required:personal-pat new=false first=1",
        ])
    }
}
