@testable import CozeAudit
import Foundation
import Testing

/// What `--version`, the JSON report and the HTML footer say for each kind of build.
@Suite("version strings")
struct VersionStringTests {
    @Test("a release build names its commit, and says when the checkout had uncommitted changes")
    func strings() {
        #expect(CozeAuditVersion.parse("") == (nil, false))
        #expect(CozeAuditVersion.parse("1a2b3c4d5e6f") == ("1a2b3c4d5e6f", false))
        #expect(CozeAuditVersion.parse("1a2b3c4d5e6f.modified") == ("1a2b3c4d5e6f", true))
        let semantic = CozeAuditVersion.semantic
        #expect(CozeAuditVersion.tag(commit: nil, modified: false) == "\(semantic)+dev")
        #expect(CozeAuditVersion.tag(commit: "1a2b3c4d5e6f", modified: false) == "\(semantic)+1a2b3c4d5e6f")
        #expect(CozeAuditVersion.tag(commit: "1a2b3c4d5e6f", modified: true) == "\(semantic)+1a2b3c4d5e6f.modified")
        #expect(CozeAuditVersion.description(commit: nil, modified: false) == "coze-audit \(semantic) (development build)")
        #expect(CozeAuditVersion.description(commit: "1a2b3c4d5e6f", modified: false) == "coze-audit \(semantic) (commit 1a2b3c4d5e6f)")
        #expect(CozeAuditVersion.description(commit: "1a2b3c4d5e6f", modified: true)
                == "coze-audit \(semantic) (commit 1a2b3c4d5e6f with uncommitted changes)")
        #expect(semantic.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
    }

    @Test("the JSON report carries tool_version; a report written without it still decodes")
    func reportField() throws {
        let report = AuditReport(run: .init(id: "1", startedAt: "2025-01-01T00:00:00Z", finishedAt: nil, status: "complete", reason: nil,
                                            baseURL: "https://api.coze.cn"),
                                 credentials: [], inventory: .init(), findings: [])
        let json = try JSONRenderer.render(report)
        #expect(json.contains("\"tool_version\" : \"\(CozeAuditVersion.tag)\""), "\(json)")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        object["tool_version"] = nil
        let decoded = try JSONDecoder().decode(AuditReport.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded.toolVersion == nil)
    }
}
