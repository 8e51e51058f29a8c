/// The four steps of the Coze migration guide, filled with this run's numbers, in the guide's
/// order: switch callers, grant, observe, clean up. Each step is a fixed lead, then what each
/// finding kind contributes to it (``FindingKindDefinition/plan``, in the order of the kinds), so a
/// new kind adds its sentence where its definition says, without an edit here.
public enum RemediationPlan {
    public struct Step: Sendable {
        public var title: String
        public var text: String
        public var link: String?
        public var linkText: String?
    }

    public static func steps(for report: AuditReport) -> [Step] {
        var sentences: [PlanStep: [String]] = [:]
        for kind in FindingKind.allCases {
            guard let contribution = kind.definition.plan else { continue }
            if let sentence = contribution.sentence(facts(kind, report)) {
                sentences[contribution.step, default: []].append(sentence)
            }
        }
        func said(_ step: PlanStep) -> [String] { sentences[step] ?? [] }
        let failing = report.credentials.filter { $0.requests > 0 && $0.failedRequests > 0 }.map(\.name)
        let keepApps = report.credentials.filter { $0.side == "personal" && $0.auth != "pat" }.map(\.name)
        return [
            Step(title: "Switch callers to enterprise credentials, with fallback.",
                 text: (["Use the personal credential first and the enterprise one on 4100/4101/not found (更新授权代码)."]
                    + said(.switchCallers)).joined(separator: " "),
                 link: nil, linkText: nil),
            Step(title: "Grant the enterprise access to personal-account resources.",
                 text: (said(.grant) + ["Authorize the enterprise PAT or JWT app (not OAuth user tokens) on the personal-account-permission page, or recreate the conversations under the enterprise."])
                    .joined(separator: " "),
                 link: FindingKind.personalPermissionPage, linkText: "个人账号资源授权"),
            Step(title: "Watch the request success rate.",
                 text: ((failing.isEmpty ? ["Every credential's requests succeeded in this run (步骤三：线上观测)."]
                    : ["Credentials with failed requests in this run: \(failing.joined(separator: ", ")). See the trend below."])
                    + said(.observe)).joined(separator: " "),
                 link: nil, linkText: nil),
            Step(title: "Delete stale personal access tokens; never the personal OAuth app.",
                 text: (said(.cleanUp) + (keepApps.isEmpty ? [] : ["Keep the personal apps: \(keepApps.joined(separator: ", "))."])
                    + ["请勿禁用或删除个人版 OAuth 应用."]).joined(separator: " "),
                 link: FindingKind.patPage, linkText: "PAT page"),
        ]
    }

    /// Counts come from the SQL tallies (a large report holds only the first rows of each kind);
    /// credentials from the findings loaded, each named once.
    static func facts(_ kind: FindingKind, _ report: AuditReport) -> PlanFacts {
        let byType = Dictionary(uniqueKeysWithValues: ResourceKind.allCases.map {
            ($0.rawValue, report.tally(of: kind.rawValue, resourceType: $0.rawValue).total)
        })
        var seen: Set<String> = []
        let credentials = report.findings.filter { $0.kind == kind.rawValue }.compactMap(\.credential)
            .filter { seen.insert($0).inserted }
        let resources = report.findings.filter { $0.kind == kind.rawValue }.compactMap { finding -> (type: String, name: String)? in
            finding.resourceType.map { ($0, TextSafe.clean(finding.name ?? finding.resourceID ?? "", limit: 60)) }
        }
        return PlanFacts(total: report.tally(of: kind.rawValue).total, byResourceType: byType, credentials: credentials,
                         resources: resources)
    }
}
