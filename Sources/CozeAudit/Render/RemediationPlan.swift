/// The four steps of the Coze migration guide, filled with this run's numbers, in the guide's
/// order: switch callers, grant, observe, clean up.
public enum RemediationPlan {
    public struct Step: Sendable {
        public var title: String
        public var text: String
        public var link: String?
        public var linkText: String?
    }

    public static func steps(for report: AuditReport) -> [Step] {
        func count(_ kind: FindingKind) -> Int { report.tally(of: kind.rawValue).total }
        let gaps = count(.enterprisePermissionGap), hidden = count(.notVisibleToEnterprise)
        let conversations = report.tally(of: FindingKind.needsPersonalGrant.rawValue, resourceType: "conversation").total
        let voices = report.tally(of: FindingKind.needsPersonalGrant.rawValue, resourceType: "voice").total
        let stale = report.findings.filter { $0.kind == FindingKind.stalePAT.rawValue }.compactMap(\.credential)
        let required = report.findings.filter { $0.kind == FindingKind.patStillRequired.rawValue }.compactMap(\.credential)
        let failing = report.credentials.filter { $0.requests > 0 && $0.failedRequests > 0 }.map(\.name)
        let unauthorized = report.findings.filter { $0.kind == FindingKind.appNotAuthorized.rawValue }.compactMap(\.credential)
        let scopeGaps = count(.workspaceScopeGap), stranded = count(.stranded)
        let obo = report.findings.filter { $0.kind == FindingKind.oboCannotUseGrant.rawValue }.compactMap(\.credential)
        let keepApps = report.credentials.filter { $0.side == "personal" && $0.auth != "pat" }.map(\.name)
        return [
            Step(title: "Switch callers to enterprise credentials, with fallback.",
                 text: "Use the personal credential first and the enterprise one on 4100/4101/not found (更新授权代码). "
                    + "Cover every permission point (\(gaps) missing now) and choose all workspaces (所有工作空间); "
                    + "\(hidden) workspaces or bots are still outside the enterprise's view; "
                    + "\(scopeGaps) enterprise workspaces are missed by a scoped enterprise credential."
                    + (unauthorized.isEmpty ? "" : " Re-authorize these JWT apps for the enterprise (重新授权 OAuth 应用): \(unauthorized.joined(separator: ", ")).")
                    + (obo.isEmpty ? "" : " OAuth user tokens (\(obo.joined(separator: ", "))) re-trigger authorization on 4100/4101 and can never be granted personal resources."),
                 link: nil, linkText: nil),
            Step(title: "Grant the enterprise access to personal-account resources.",
                 text: "\(conversations) conversations and \(voices) voices are reachable only with personal credentials"
                    + (stranded == 0 ? ". " : ", and \(stranded) seen in earlier runs are now reachable by no credential (stranded). ")
                    + "Authorize the enterprise PAT or JWT app (not OAuth user tokens) on the personal-account-permission page, or recreate the conversations under the enterprise.",
                 link: FindingKind.personalPermissionPage, linkText: "个人账号资源授权"),
            Step(title: "Watch the request success rate.",
                 text: failing.isEmpty ? "Every credential's requests succeeded in this run (步骤三：线上观测)."
                    : "Credentials with failed requests in this run: \(failing.joined(separator: ", ")). See the trend below.",
                 link: nil, linkText: nil),
            Step(title: "Delete stale personal access tokens; never the personal OAuth app.",
                 text: (stale.isEmpty ? "No PAT can be deleted yet." : "Delete: \(stale.joined(separator: ", ")).")
                    + (required.isEmpty ? "" : " Keep for now: \(required.joined(separator: ", ")).")
                    + (keepApps.isEmpty ? "" : " Keep the personal apps: \(keepApps.joined(separator: ", ")).")
                    + " 请勿禁用或删除个人版 OAuth 应用.",
                 link: FindingKind.patPage, linkText: "PAT page"),
        ]
    }
}
