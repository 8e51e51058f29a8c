@testable import CozeAudit
import Foundation
import GRDB
import Testing

/// The report view model from stored rows, and its three renderings (docs/product.md §4): JSON keeps every
/// value exactly, HTML and text escape what the API supplied.
@Suite("Report and renderers")
struct ReportTests {
    /// A name an API could return: markup, both quotes, an ampersand, a newline, a control
    /// character, and 10 KB of padding.
    static let hostile = "<script>alert(1)</script> \"double\" 'single' & line1\nline2\u{1}end"
        + String(repeating: "x", count: 10 * 1024)

    /// One run with every core finding kind: the migrated-account shape in miniature.
    static func seeded(conversationName: String = hostile, conversationID: String = "c1") throws -> SeededStore {
        let db = try SeededStore("""
            INSERT INTO run (id, started_at, finished_at, status, base_url)
              VALUES (1, '2025-03-01T08:00:00Z', '2025-03-01T08:05:00Z', 'complete', 'http://127.0.0.1:8080');
            INSERT INTO credential (id, name, first_run_id) VALUES
              (1, 'personal-pat', 1), (2, 'enterprise-app', 1), (3, 'old-pat', 1), (4, 'team-pat', 1);
            INSERT INTO run_credential (run_id, credential_id, side, auth, fingerprint, status, user_id, detail, requests, failed_requests) VALUES
              (1, 1, 'personal', 'pat', 'sha256:111111111111', 'ok', 'u1', NULL, 20, 0),
              (1, 2, 'enterprise', 'jwt', 'sha256:222222222222', 'ok', 'u2', NULL, 12, 1),
              (1, 3, 'personal', 'pat', 'sha256:333333333333', 'invalid', NULL, 'code 4100: authentication is invalid', 1, 1),
              (1, 4, 'personal', 'pat', 'sha256:444444444444', 'ok', 'u1', NULL, 3, 1);
            INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES
              ('workspace', 'w1', 'Personal space', NULL, 0, 1, 1),
              ('workspace', 'w2', 'Migrated space', NULL, 0, 1, 1),
              ('bot', 'b1', 'Bot <b>bold</b>', 'w1', 0, 1, 1),
              ('bot', 'b2', 'Shared bot', 'w2', 0, 1, 1),
              ('voice', 'v1', 'My voice', NULL, 0, 1, 1),
              ('voice', 'vs', 'System voice', NULL, 1, 1, 1);
            INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES
              (1, 1, 'workspace', 'w1', NULL, '{}'), (1, 1, 'workspace', 'w2', NULL, '{}'),
              (1, 2, 'workspace', 'w2', NULL, '{}'), (1, 4, 'workspace', 'w2', NULL, '{}'),
              (1, 1, 'bot', 'b1', 'w1', '{}'), (1, 1, 'bot', 'b2', 'w2', '{}'), (1, 2, 'bot', 'b2', 'w2', '{}'),
              (1, 1, 'voice', 'v1', NULL, '{}'), (1, 1, 'voice', 'vs', NULL, '{}'), (1, 2, 'voice', 'vs', NULL, '{}');
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message, logid) VALUES
              (1, 3, 'GET /v1/users/me', 'user', '', '', 'invalid', 401, 4100, 'authentication is invalid', 'l1'),
              (1, 1, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission', 'l2'),
              (1, 4, 'GET /v1/audio/voices', 'voice', '', 'voice_state=all', 'denied', 200, 4101, 'no permission', 'l3'),
              -- the answered identity steps and the listings behind the sightings above
              (1, 1, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 4, 'GET /v1/users/me', 'user', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 1, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 4, 'GET /v1/workspaces', 'workspace', '', '', 'ok', NULL, NULL, NULL, NULL),
              (1, 1, 'GET /v1/bots', 'bot', 'w1', 'workspace_id=w1&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
              (1, 1, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/bots', 'bot', 'w2', 'workspace_id=w2&publish_status=all', 'ok', NULL, NULL, NULL, NULL),
              (1, 1, 'GET /v1/conversations', 'conversation', 'b1', 'bot_id=b1&connector_id=1024', 'ok', NULL, NULL, NULL, NULL),
              (1, 1, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok', NULL, NULL, NULL, NULL),
              (1, 2, 'GET /v1/conversations', 'conversation', 'b2', 'bot_id=b2&connector_id=1024', 'ok', NULL, NULL, NULL, NULL);
            """)
        try db.store.write { db in
            try db.execute(sql: """
                INSERT INTO resource (kind, id, name, parent_id, is_system, first_run_id, last_run_id) VALUES ('conversation', ?, ?, 'b1', 0, 1, 1);
                INSERT INTO sighting (run_id, credential_id, kind, resource_id, parent_id, payload) VALUES (1, 1, 'conversation', ?, 'b1', '{}');
                """, arguments: [conversationID, conversationName, conversationID])
        }
        try FindingsEngine.compute(store: db.store, runID: 1)
        return db
    }

    /// The fields docs/product.md §4 lists, decoded from the JSON report; anything else is ignored.
    struct SpecFinding: Decodable, Equatable, CustomStringConvertible {
        var kind: String
        var resource_type: String? = nil
        var resource_id: String? = nil
        var seen_by: [String]? = nil
        var credential: String? = nil
        var reason: String? = nil
        var exclusive_resources: Int? = nil
        var endpoint: String? = nil
        var code: Int? = nil
        var not_observed: [String]? = nil
        var new: Bool
        var description: String {
            "\(kind) \(resource_type ?? "-"):\(resource_id ?? "-") seen_by=\(seen_by ?? []) credential=\(credential ?? "-") "
                + "reason=\(reason ?? "-") exclusive=\(exclusive_resources.map(String.init) ?? "-") endpoint=\(endpoint ?? "-") "
                + "code=\(code.map(String.init) ?? "-") not_observed=\(not_observed ?? []) new=\(new)"
        }
    }

    struct SpecReport: Decodable {
        struct Run: Decodable { var id: String; var started_at: String; var finished_at: String?; var status: String }
        struct Credential: Decodable, Equatable {
            var name: String; var side: String; var auth: String; var fingerprint: String; var status: String
        }
        var schema: String
        var run: Run
        var credentials: [Credential]
        var inventory: [String: Int]
        var findings: [SpecFinding]
    }

    @Test("the JSON report has schema v1, a string run id, distinct inventory without system voices, and each finding's fields")
    func jsonReport() throws {
        let db = try Self.seeded()
        let json = try JSONRenderer.render(try ReportBuilder.build(store: db.store))
        let report = try JSONDecoder().decode(SpecReport.self, from: Data(json.utf8))

        #expect(report.schema == "coze-audit.report/v1")
        #expect(report.run.id == "1")
        #expect(report.run.started_at == "2025-03-01T08:00:00Z")
        #expect(report.run.finished_at == "2025-03-01T08:05:00Z")
        #expect(report.run.status == "complete")
        #expect(report.inventory == ["workspace": 2, "bot": 2, "conversation": 1, "voice": 1, "app": 0, "workflow": 0])
        #expect(report.credentials == [
            .init(name: "enterprise-app", side: "enterprise", auth: "jwt", fingerprint: "sha256:222222222222", status: "ok"),
            .init(name: "old-pat", side: "personal", auth: "pat", fingerprint: "sha256:333333333333", status: "invalid"),
            .init(name: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:111111111111", status: "ok"),
            .init(name: "team-pat", side: "personal", auth: "pat", fingerprint: "sha256:444444444444", status: "ok"),
        ])
        // The five core kinds of docs/product.md §3 (the seed gives nothing to the later kinds of §3b).
        // Evidence rule (docs/evidence.md §5): the only enterprise voice listing answered 4101, so
        // voice v1 gets no needs_personal_grant (the permission gap comes first); c1 keeps its
        // finding because the enterprise listed conversations successfully.
        #expect(report.findings == [
            SpecFinding(kind: "enterprise_permission_gap", credential: "enterprise-app", endpoint: "GET /v1/audio/voices", code: 4101, new: true),
            SpecFinding(kind: "needs_personal_grant", resource_type: "conversation", resource_id: "c1", seen_by: ["personal-pat"], new: true),
            SpecFinding(kind: "not_visible_to_enterprise", resource_type: "bot", resource_id: "b1", seen_by: ["personal-pat"], new: true),
            SpecFinding(kind: "not_visible_to_enterprise", resource_type: "workspace", resource_id: "w1", seen_by: ["personal-pat"], new: true),
            SpecFinding(kind: "stale_pat", credential: "old-pat", reason: "invalid", new: true),
            SpecFinding(kind: "stale_pat", credential: "team-pat", reason: "superseded", not_observed: ["GET /v1/audio/voices"], new: true),
            SpecFinding(kind: "pat_still_required", credential: "personal-pat", exclusive_resources: 4, new: true),
        ])

        // Every finding carries `new`, whatever its kind, and ids are strings.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { $0["new"] is Bool })
        #expect((object["run"] as? [String: Any])?["id"] is String)
    }

    @Test("the view model places bots and conversations in their bot and workspace")
    func placement() throws {
        let db = try Self.seeded(conversationName: "Chat")
        let report = try ReportBuilder.build(store: db.store, runID: 1)
        let conversation = try #require(report.findings.first { $0.resourceID == "c1" })
        #expect(conversation.name == "Chat")
        #expect(conversation.bot == "Bot <b>bold</b> (b1)")
        #expect(conversation.workspace == "Personal space (w1)")
        let bot = try #require(report.findings.first { $0.resourceID == "b1" })
        #expect(bot.workspace == "Personal space (w1)")
        #expect(bot.bot == nil)
        #expect(report.credentials.first { $0.name == "personal-pat" }?.sees == .init(workspace: 2, bot: 2, conversation: 1, voice: 1))
        #expect(report.credentials.first { $0.name == "enterprise-app" }?.sees == .init(workspace: 1, bot: 1, conversation: 0, voice: 0))
    }

    @Test("a hostile resource name round-trips exactly through the JSON report")
    func hostileNameInJSON() throws {
        let db = try Self.seeded()
        let json = try JSONRenderer.render(try ReportBuilder.build(store: db.store))
        let decoded = try JSONDecoder().decode(AuditReport.self, from: Data(json.utf8))
        let finding = try #require(decoded.findings.first { $0.resourceID == "c1" })
        #expect(finding.name == Self.hostile)
        #expect(!json.contains("\u{1}"))
    }

    @Test("the HTML report parses as XML and a hostile name comes out escaped, never as a <script")
    func hostileNameInHTML() throws {
        let db = try Self.seeded()
        let report = try ReportBuilder.build(store: db.store)
        let history = try RunHistory.load(store: db.store, upTo: 1)
        for html in [try HTMLRenderer.render(report), try HTMLRenderer.render(report, history: history)] {
            let text = try XMLCheck.parse(html).get()
            #expect(!html.lowercased().contains("<script"))
            #expect(!html.contains("\u{1}"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; line1\nline2\u{FFFD}end"))
            #expect(html.contains("Bot &lt;b&gt;bold&lt;/b&gt; (b1)"))
            // The 10 KB name is shortened in HTML (the JSON keeps it whole).
            #expect(!html.contains(String(repeating: "x", count: 300)))
            // What a browser shows is the name itself.
            #expect(text.contains("<script>alert(1)</script> \"double\" 'single' & line1\nline2\u{FFFD}end"))
            for kind in findingQueryNames {
                #expect(html.contains("<details open=\"open\" id=\"\(kind)\">"), "group \(kind)")
            }
        }
    }

    @Test("the text report keeps each finding on one line, with the hostile name escaped and shortened")
    func hostileNameInText() throws {
        let db = try Self.seeded()
        let text = TextRenderer.render(try ReportBuilder.build(store: db.store))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // 7 findings: evidence rule, no needs_personal_grant for voice v1 (see jsonReport).
        #expect(lines.first == "coze-audit run 1 complete at 2025-03-01T08:00:00Z: 4 credentials, 2 workspaces, 2 bots, "
            + "1 conversations, 1 voices, 0 apps, 0 workflows; 7 findings (7 new)")
        let findingLines = lines.filter { $0.hasPrefix("NEW ") || $0.hasPrefix("    ") }
        #expect(findingLines.count == 7)
        #expect(findingLines.contains(
            #"NEW needs_personal_grant: conversation c1 "<script>alert(1)</script> "double" 'single' & line1\nline2\u{1}end"#
                + String(repeating: "x", count: 13) + "…\" bot Bot <b>bold</b> (b1) in Personal space (w1); seen by personal-pat"))
        #expect(!text.contains("\u{1}"))
        #expect(!lines.contains { $0.hasPrefix("line2") })
        #expect(findingLines.contains("NEW stale_pat: team-pat superseded (not observed: GET /v1/audio/voices); delete it on the Coze PAT page"))
        #expect(findingLines.contains("NEW pat_still_required: personal-pat is the only credential that sees 4 resources; keep it"))
        #expect(findingLines.contains("NEW enterprise_permission_gap: enterprise-app gets 4101 on GET /v1/audio/voices while a personal credential succeeds"))
    }

    @Test("listing notes: the JSON report lists them in listing_notes and the HTML shows a Listing notes table only when there is one; an identity-step note is not a listing note")
    func listingNotes() throws {
        // Without notes: an empty listing_notes array (additive field) and no table.
        let plain = try Self.seeded(conversationName: "Chat")
        let plainReport = try ReportBuilder.build(store: plain.store)
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(plainReport).utf8)) as? [String: Any])
        #expect((plainJSON["listing_notes"] as? [Any])?.isEmpty == true)
        #expect(!(try HTMLRenderer.render(plainReport)).contains("Listing notes"))

        // A workspace listing whose total_count its pages never reached (docs/evidence.md §6), and a
        // JWT token path that refused while the other one served (§7: a note on the identity step).
        let noted = try Self.seeded(conversationName: "Chat")
        try noted.seed("""
            UPDATE listing SET note = 'total 3 but the listing ended after 1 item(s)'
              WHERE credential_id = 2 AND endpoint = 'GET /v1/workspaces';
            INSERT INTO listing (run_id, credential_id, endpoint, kind, parent_id, params, status, message, note) VALUES
              (1, 2, 'POST /api/permission/oauth2/enterprise_id/e1/token', 'user', '', '', 'denied', 'access_deny',
               'served by POST /api/permission/oauth2/account/e1/token');
            """)
        let report = try ReportBuilder.build(store: noted.store)
        #expect(report.listingNotes == [
            .init(credential: "enterprise-app", endpoint: "GET /v1/workspaces", params: "", status: "ok",
                  note: "total 3 but the listing ended after 1 item(s)"),
        ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(report).utf8)) as? [String: Any])
        let notes = try #require(json["listing_notes"] as? [[String: String]])
        #expect(notes == [["credential": "enterprise-app", "endpoint": "GET /v1/workspaces", "params": "", "status": "ok",
                           "note": "total 3 but the listing ended after 1 item(s)"]])
        let html = try HTMLRenderer.render(report)
        #expect(throws: Never.self) { try XMLCheck.parse(html).get() }
        #expect(html.contains("<h3>Listing notes</h3>"))
        #expect(html.contains("<tr><td>enterprise-app</td><td><code>GET /v1/workspaces</code> </td><td>total 3 but the listing ended after 1 item(s)</td></tr>"))
        #expect(!html.contains("<td>served by "))
    }

    @Test("a hostile resource id does not break a text line")
    func hostileIDInText() throws {
        let db = try Self.seeded(conversationName: "Chat", conversationID: "c1\nNEW stale_pat: forged\u{1b}[2J")
        let text = TextRenderer.render(try ReportBuilder.build(store: db.store))
        #expect(!text.contains("\u{1b}"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("NEW stale_pat: forged") })
    }

    @Test("the XML check itself rejects malformed markup", arguments: [
        "<html><p></html>",
        "<html><p>&nbsp;</p></html>",
        "<html><p><\u{301}img src=x></p></html>",
        "<html><p>\u{1}</p></html>",
    ])
    func xmlCheckIsStrict(markup: String) {
        #expect(throws: (any Error).self) { try XMLCheck.parse(markup).get() }
    }

    @Test("the XML check accepts the XHTML shapes the template uses")
    func xmlCheckAccepts() throws {
        let text = try XMLCheck.parse("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"a\">&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; \u{FFFD}<br /></p></html>").get()
        #expect(text.contains("<b> & \"q\" 's' \u{FFFD}"))
    }

    @Test("a combining mark after < or a quote in a name still comes out escaped in HTML")
    func combiningMarkInHTML() throws {
        let db = try Self.seeded(conversationName: "<\u{301}img src=x onerror=alert(1)> \"\u{301}")
        let html = try HTMLRenderer.render(try ReportBuilder.build(store: db.store))
        #expect(!html.contains("<\u{301}img"))
        #expect(throws: Never.self) { try XMLCheck.parse(html).get() }
    }
}
