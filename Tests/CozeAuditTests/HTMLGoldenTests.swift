@testable import CozeAudit
import Foundation
import FoundationXML
import Testing

/// The HTML report of one fixed run, compared byte for byte with `Fixtures/golden/report.html`,
/// and checked as a document: well-formed XML, nothing that loads or runs, links only to the Coze
/// console, hostile names escaped.
///
/// After an intended change to the template, the CSS or the renderer, rewrite the golden file and
/// review its diff before committing it:
///
///     COZE_AUDIT_UPDATE_GOLDEN=1 swift test --filter HTMLGoldenTests
///
/// The report is built from values, not from a crawl, so only the renderer and `reports/` change it.
@Suite("HTML report golden file")
struct HTMLGoldenTests {
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden/report.html")

    /// The only pages a report may link to.
    static let allowedLinks: Set<String> = [FindingKind.personalPermissionPage, FindingKind.patPage]

    @Test("the report of a fixed run matches Fixtures/golden/report.html byte for byte (COZE_AUDIT_UPDATE_GOLDEN=1 rewrites it)")
    func matchesGolden() throws {
        let html = try Self.render()
        if ProcessInfo.processInfo.environment["COZE_AUDIT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(html.utf8).write(to: Self.goldenURL)
            print("wrote \(Self.goldenURL.path) (\(html.utf8.count) bytes)")
        }
        let golden = try #require(FileManager.default.contents(atPath: Self.goldenURL.path),
                                  "no golden file at \(Self.goldenURL.path): run with COZE_AUDIT_UPDATE_GOLDEN=1")
        let goldenText = String(decoding: golden, as: UTF8.self)
        #expect(throws: Never.self, "the golden file is well-formed XML") { try XMLCheck.parse(goldenText).get() }
        #expect(Data(html.utf8) == golden, "\(Self.firstDifference(html, goldenText)); after an intended change run COZE_AUDIT_UPDATE_GOLDEN=1 swift test --filter HTMLGoldenTests and review the diff")
    }

    @Test("the report runs and loads nothing: no script, no external resource, links only to the Coze console pages")
    func loadsNothing() throws {
        let html = try Self.render()
        let markup = try Markup.parse(html)
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<link"))
        #expect(!lower.contains("@import"))
        #expect(!lower.contains("url("))
        #expect(!lower.contains(" src="))

        let forbidden: Set<String> = ["script", "link", "img", "image", "iframe", "frame", "object", "embed", "use",
                                      "audio", "video", "source", "base", "form", "foreignObject"]
        for element in markup.elements {
            #expect(!forbidden.contains(element.name), "element <\(element.name)>")
            for (name, value) in element.attributes {
                let lowerValue = value.lowercased()
                #expect(!name.lowercased().hasPrefix("on"), "event handler \(name) on <\(element.name)>")
                #expect(!["src", "srcset", "style", "xlink:href", "formaction", "action"].contains(name.lowercased()),
                        "attribute \(name) on <\(element.name)>")
                #expect(!lowerValue.contains("javascript:") && !lowerValue.contains("url("), "\(name)=\"\(value)\" on <\(element.name)>")
                #expect(name != "href" || element.name == "a", "href on <\(element.name)>")
                // Every URL in the markup is a namespace or a link to an allowed Coze console page.
                if lowerValue.contains("http://") || lowerValue.contains("https://") {
                    let isNamespace = name == "xmlns" && ["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"].contains(value)
                    let isAllowedLink = element.name == "a" && name == "href" && Self.allowedLinks.contains(value)
                    #expect(isNamespace || isAllowedLink, "\(name)=\"\(value)\" on <\(element.name)>")
                }
            }
        }
        let css = markup.elements.contains { $0.name == "style" } ? markup.styleText : ""
        #expect(css.contains("--bg"), "the inline stylesheet is there")
        #expect(!css.contains("://"), "no URL in the stylesheet")

        let links = markup.elements.filter { $0.name == "a" }.compactMap { $0.attributes["href"] }
        #expect(Set(links.filter { $0.hasPrefix("http") }) == Self.allowedLinks, "both console pages are linked")
        #expect(links.allSatisfy(Self.allowedLinks.contains), "links: \(links)")
        // An absent optional is left out, not printed as Swift would (`Optional("…")`, `nil`).
        #expect(!html.contains("Optional("))
        #expect(!html.contains(">nil<") && !html.contains("\"nil\"") && !html.contains(" nil</"))
    }

    @Test("a <script>, quotes, a newline and 10 KB in a bot, conversation or voice name come out escaped and shortened")
    func hostileNames() throws {
        let html = try Self.render()
        let markup = try Markup.parse(html)
        let text = try XMLCheck.parse(html).get()
        for who in ["bot", "conversation", "voice"] {
            // As markup: escaped, newline kept, control character replaced.
            #expect(html.contains("<td>&lt;script&gt;alert(&quot;\(who)&quot;)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; line1\nline2\u{FFFD}end"),
                    "\(who) name escaped in its own row")
            // As a browser shows it: the name itself, as text.
            #expect(text.contains("<script>alert(\"\(who)\")</script> \"double\" 'single' & line1\nline2\u{FFFD}end"), "\(who) name as text")
        }
        // The hostile bot also names the place of the conversation found in it.
        #expect(html.contains("bot &lt;script&gt;alert(&quot;bot&quot;)&lt;/script&gt;"))
        #expect(!markup.elements.contains { $0.name == "script" })
        #expect(!html.contains("\u{1}"))
        // 10 KB names are shortened to 300 characters in HTML (the JSON keeps them whole).
        #expect(!html.contains(String(repeating: "x", count: 300)))
        #expect(html.contains(String(repeating: "x", count: 200) + "…"))
        // Chinese names stay characters, not entities.
        #expect(html.contains("<td>个人空间</td>"))
        #expect(html.contains("<td>李雷的声音</td>"))
    }

    @Test("the fixture covers every finding kind and both trend charts")
    func coversEveryKind() throws {
        let html = try Self.render()
        for kind in FindingKind.allCases {
            #expect(html.contains("<details open=\"open\" id=\"\(kind.rawValue)\">"), "section \(kind.rawValue)")
        }
        #expect(html.contains("7420000000000000004"), "the stranded conversation")
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(html.contains("<polyline "))
        #expect(html.contains("<circle "))
        #expect(html.contains("<rect "))
    }
}

// MARK: - The fixed run

extension HTMLGoldenTests {
    /// A name an API could return: markup, both quotes, an ampersand, a newline, a control
    /// character and 10 KB of padding; `who` says where it was put.
    static func hostile(_ who: String) -> String {
        "<script>alert(\"\(who)\")</script> \"double\" 'single' & line1\nline2\u{1}end" + String(repeating: "x", count: 10 * 1024)
    }

    /// The report, with the version of the coze-audit that rendered it (footer) masked as
    /// `VERSION`: it changes with every build, the golden file must not.
    static func render() throws -> String {
        try HTMLRenderer.render(report, history: history).replacingOccurrences(of: CozeAuditVersion.tag, with: "VERSION")
    }

    static func finding(_ kind: FindingKind, _ key: String, new: Bool = false, since: String = "5",
                        _ fill: (inout Finding) -> Void = { _ in }) -> Finding {
        var finding = Finding(kind: kind.rawValue, key: key, severity: kind.definition.severities[0].rawValue, new: new,
                              firstSeenRun: new ? "7" : since, remedy: kind.remedy)
        fill(&finding)
        return finding
    }

    static func resource(_ kind: FindingKind, _ type: String, _ id: String, _ name: String, new: Bool = false,
                         bot: String? = nil, workspace: String? = nil, seenBy: [String] = ["personal-pat"]) -> Finding {
        finding(kind, "\(kind.rawValue):\(type):\(id)", new: new) {
            $0.resourceType = type
            $0.resourceID = id
            $0.name = name
            $0.bot = bot
            $0.workspace = workspace
            $0.seenBy = seenBy
        }
    }

    static func credential(_ kind: FindingKind, _ name: String, new: Bool = false, since: String = "5",
                           _ fill: (inout Finding) -> Void = { _ in }) -> Finding {
        finding(kind, "\(kind.rawValue):\(name)", new: new, since: since) {
            $0.credential = name
            fill(&$0)
        }
    }

    static let hostileBot = "\(hostile("bot")) (7410000000000000007)"
    static let personalSpace = "个人空间 (7400000000000000001)"
    static let researchLab = "Research Lab (7400000000000000004)"

    /// Run 7 of a migrated account: every finding kind, hostile and Chinese names, a partial run.
    static let report = AuditReport(
        run: .init(id: "7", startedAt: "2025-03-08T03:00:00Z", finishedAt: "2025-03-08T03:00:42Z", status: "partial",
                   reason: "1 listing could not be answered: GET /v1/bots (HTTP 502) for personal-pat",
                   baseURL: "https://api.coze.cn"),
        credentials: [
            .init(name: "enterprise-app", side: "enterprise", auth: "jwt", fingerprint: "sha256:ecc9df203131", status: "ok",
                  requests: 14, failedRequests: 0, sees: .init(workspace: 3, bot: 4, conversation: 3, voice: 1)),
            .init(name: "enterprise-pat", side: "enterprise", auth: "pat", fingerprint: "sha256:08111e10e961", status: "ok",
                  requests: 14, failedRequests: 1, sees: .init(workspace: 3, bot: 4, conversation: 3, voice: 0)),
            .init(name: "enterprise-scoped-pat", side: "enterprise", auth: "pat", fingerprint: "sha256:5148d6e62d46", status: "ok",
                  requests: 6, failedRequests: 0, sees: .init(workspace: 1, bot: 1, conversation: 1, voice: 1)),
            .init(name: "enterprise-user", side: "enterprise", auth: "oauth", fingerprint: "sha256:00a7f0bca4cc", status: "ok",
                  requests: 11, failedRequests: 0, sees: .init(workspace: 2, bot: 3, conversation: 2, voice: 1)),
            .init(name: "legacy-enterprise-app", side: "enterprise", auth: "jwt", fingerprint: "sha256:dbc4c54656a3", status: "invalid",
                  requests: 1, failedRequests: 1, sees: .init()),
            .init(name: "old-pat-2024", side: "personal", auth: "pat", fingerprint: "sha256:7793bfab7608", status: "invalid",
                  requests: 1, failedRequests: 1, sees: .init()),
            .init(name: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:1dfe8f89ec20", status: "ok",
                  requests: 13, failedRequests: 1, sees: .init(workspace: 2, bot: 4, conversation: 4, voice: 3)),
            .init(name: "team-pat-2024", side: "personal", auth: "pat", fingerprint: "sha256:4cd94645e64c", status: "ok",
                  requests: 3, failedRequests: 1, sees: .init()),
        ],
        inventory: .init(workspace: 5, bot: 8, conversation: 6, voice: 4),
        findings: [
            credential(.appNotAuthorized, "legacy-enterprise-app") {
                $0.endpoint = "POST /api/permission/oauth2/enterprise_id/volcano_2105850123/token"
                $0.reason = "denied"
            },
            credential(.enterprisePermissionGap, "enterprise-pat", new: true) {
                $0.endpoint = "GET /v1/audio/voices"
                $0.code = 4101
            },
            {
                var stranded = resource(.stranded, "conversation", "7420000000000000004", "Before migration", new: true,
                                        bot: "Sales Assistant (7410000000000000003)", workspace: "Sales Team (7400000000000000002)",
                                        seenBy: ["personal-pat", "team-pat-2024"])
                stranded.lastSeenRun = "6"
                stranded.lastSeen = "2025-03-07T03:00:41Z"
                return stranded
            }(),
            resource(.needsPersonalGrant, "conversation", "7420000000000000001", "订单查询",
                     bot: "Personal Helper (7410000000000000001)", workspace: personalSpace),
            resource(.needsPersonalGrant, "conversation", "7420000000000000009", hostile("conversation"), new: true,
                     bot: hostileBot, workspace: researchLab),
            resource(.needsPersonalGrant, "voice", "7430000000000000001", "李雷的声音"),
            resource(.needsPersonalGrant, "voice", "7430000000000000009", hostile("voice"), new: true),
            resource(.notVisibleToEnterprise, "bot", "7410000000000000007", hostile("bot"), new: true, workspace: researchLab),
            resource(.notVisibleToEnterprise, "workspace", "7400000000000000001", "个人空间"),
            {
                var gap = resource(.workspaceScopeGap, "workspace", "7400000000000000002", "Sales Team",
                                   seenBy: ["enterprise-app", "enterprise-pat"])
                gap.key = "workspace_scope_gap:enterprise-scoped-pat:7400000000000000002"
                gap.credential = "enterprise-scoped-pat"
                return gap
            }(),
            credential(.oboCannotUseGrant, "enterprise-user"),
            credential(.stalePAT, "old-pat-2024", since: "3") { $0.reason = "invalid" },
            credential(.stalePAT, "team-pat-2024", new: true) {
                $0.reason = "superseded"
                $0.notObserved = ["GET /v1/audio/voices"]
            },
            credential(.patStillRequired, "personal-pat") { $0.exclusiveResources = 12 },
            credential(.patInProduction, "enterprise-pat"),
        ],
        previousRun: "6",
        credentialHistory: [
            .init(credential: "enterprise-app", side: "enterprise", auth: "jwt", fingerprint: "sha256:ecc9df203131",
                  firstSeenRun: "3", lastValidRun: "7", runs: 5, requests: 70, failedRequests: 0, successRate: 100),
            .init(credential: "old-pat-2024", side: "personal", auth: "pat", fingerprint: "sha256:7793bfab7608",
                  firstSeenRun: "3", lastValidRun: "4", invalidSinceRun: "5", runs: 5, requests: 31, failedRequests: 3, successRate: 90.3),
            .init(credential: "personal-pat", side: "personal", auth: "pat", fingerprint: "sha256:1dfe8f89ec20",
                  fingerprintChangedInRun: "6", firstSeenRun: "3", lastValidRun: "7", runs: 5, requests: 65, failedRequests: 1,
                  successRate: 98.5),
        ])

    /// Runs 3 to 7: the migration happens between runs 4 and 5; run 7 is the partial one above.
    static let history = RunHistory(runs: [
        .init(id: 3, status: "complete",
              findingsByKind: ["needs_personal_grant": 0, "pat_still_required": 1, "pat_in_production": 1],
              requests: ["personal-pat": (12, 0), "old-pat-2024": (10, 0), "enterprise-app": (14, 0)]),
        .init(id: 4, status: "complete",
              findingsByKind: ["needs_personal_grant": 6, "not_visible_to_enterprise": 6, "stale_pat": 1, "pat_still_required": 1,
                               "pat_in_production": 1],
              requests: ["personal-pat": (13, 0), "old-pat-2024": (10, 0), "enterprise-app": (14, 0)]),
        .init(id: 5, status: "complete",
              findingsByKind: ["app_not_authorized": 1, "needs_personal_grant": 5, "not_visible_to_enterprise": 4, "stale_pat": 1,
                               "pat_still_required": 1, "pat_in_production": 2, "obo_cannot_use_grant": 1],
              requests: ["personal-pat": (13, 0), "old-pat-2024": (1, 1), "enterprise-app": (14, 0), "enterprise-pat": (14, 2)]),
        .init(id: 6, status: "failed", findingsByKind: [:], requests: ["personal-pat": (1, 1), "enterprise-app": (0, 0)]),
        .init(id: 7, status: "partial",
              findingsByKind: ["app_not_authorized": 1, "enterprise_permission_gap": 1, "stranded": 1, "needs_personal_grant": 4,
                               "not_visible_to_enterprise": 2, "workspace_scope_gap": 1, "obo_cannot_use_grant": 1, "stale_pat": 2,
                               "pat_still_required": 1, "pat_in_production": 1],
              requests: ["personal-pat": (13, 1), "old-pat-2024": (1, 1), "enterprise-app": (14, 0), "enterprise-pat": (14, 1)]),
    ])
}

// MARK: - Helpers

extension HTMLGoldenTests {
    /// Where two texts first differ, by line, for a readable failure.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        for index in 0..<max(a.count, e.count) {
            let lhs = index < a.count ? a[index] : "<end of file>", rhs = index < e.count ? e[index] : "<end of file>"
            if lhs != rhs {
                return "first difference at line \(index + 1):\n  rendered: \(lhs.prefix(300))\n  golden:   \(rhs.prefix(300))"
            }
        }
        return "identical text"
    }

    /// Every element with its attributes, and the stylesheet's text, from a strict XML parse.
    final class Markup: NSObject, XMLParserDelegate {
        struct Element { var name: String; var attributes: [String: String] }
        private(set) var elements: [Element] = []
        private(set) var styleText = ""
        private var inStyle = false
        private var error: (any Error)?

        static func parse(_ html: String) throws -> Markup {
            let markup = Markup()
            let parser = XMLParser(data: Data(html.utf8))
            parser.delegate = markup
            let ok = parser.parse()
            if let error = markup.error ?? parser.parserError { throw error }
            guard ok else { throw CocoaError(.coderReadCorrupt) }
            return markup
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            elements.append(Element(name: elementName, attributes: attributes))
            inStyle = elementName == "style"
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == "style" { inStyle = false }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inStyle { styleText += string } }
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }
    }
}
