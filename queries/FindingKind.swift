/// The finding kinds: each one defined here, once, with its SQL file `queries/<name>.sql` (named
/// in Package.swift's `queryFiles`, which embeds it). Adding a kind is a case below, its
/// definition in ``definition``, the SQL file and its name in that list: reports, plan, columns,
/// order and the query list derive from them, no other code changes (its tests and the golden
/// outputs do: docs/design.md §4). The order of the cases is the order for people: what breaks
/// production first.
public enum FindingKind: String, CaseIterable, Sendable {
    case appNotAuthorized = "app_not_authorized"
    case enterprisePermissionGap = "enterprise_permission_gap"
    case stranded = "stranded"
    case needsPersonalGrant = "needs_personal_grant"
    case notVisibleToEnterprise = "not_visible_to_enterprise"
    case workspaceScopeGap = "workspace_scope_gap"
    case oboCannotUseGrant = "obo_cannot_use_grant"
    case stalePAT = "stale_pat"
    case patStillRequired = "pat_still_required"
    case patInProduction = "pat_in_production"

    public static let personalPermissionPage = "https://www.coze.cn/personal-account-permission"
    public static let patPage = "https://www.coze.cn/open/oauth/pats"

    /// The kind's definition (built once per process).
    public var definition: FindingKindDefinition { Self.definitions[self]! }

    static let definitions = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.makeDefinition()) })

    private func makeDefinition() -> FindingKindDefinition {
        switch self {
        case .appNotAuthorized:
            FindingKindDefinition(
                title: "JWT apps not authorized for their enterprise or account",
                remedy: "重新授权 OAuth 应用: the app's creator shares its link from the personal edition (扣子 API > OAuth 应用, share icon); an enterprise admin opens it, chooses scope 企业 and 所有工作空间, then confirms on the app-installation page (企业/团队 API > 应用安装管理).",
                sql: Self.text(PackageResources.app_not_authorized_sql),
                severities: [.high],
                columns: [.credential, FindingColumn("Token endpoint") { $0.endpoint ?? "" }, FindingColumn("Answer") { $0.reason ?? "" }, .sinceRun],
                line: { "\($0.credential ?? "") cannot obtain a token (\($0.endpoint ?? ""): \($0.reason ?? ""))" },
                plan: PlanContribution(.switchCallers) { facts in
                    facts.credentials.isEmpty ? nil
                        : "Re-authorize these JWT apps for the enterprise (重新授权 OAuth 应用): \(facts.credentials.joined(separator: ", "))."
                },
                detailKeys: ["served_by"],
                finish: { finding in
                    // The configured token path refused and the other documented one served: which path a
                    // migrated app must use is not documented, so the remedy is a config change to try.
                    if let served = finding.servedBy {
                        finding.remedy = Self.otherPathRemedy(refused: finding.endpoint ?? "", served: served)
                    }
                })
        case .enterprisePermissionGap:
            FindingKindDefinition(
                title: "Permission points missing on enterprise credentials",
                remedy: "Add the missing permission point to the enterprise credential (请确保已覆盖原授权的所有权限点).",
                sql: Self.text(PackageResources.enterprise_permission_gap_sql),
                severities: [.high],
                columns: [.credential, .endpoint, FindingColumn("Code") { $0.code.map(String.init) ?? "" }, .sinceRun],
                line: { "\($0.credential ?? "") gets \($0.code.map(String.init) ?? "?") on \($0.endpoint ?? "") while a personal credential succeeds" },
                plan: PlanContribution(.switchCallers) { facts in
                    "Cover every permission point (\(facts.total) missing now) and choose all workspaces (所有工作空间)."
                })
        case .stranded:
            FindingKindDefinition(
                title: "Resources seen before and reachable by no credential now",
                remedy: "These were reachable before and no credential reaches them now (API 方式创建的会话属于扣子用户): grant the enterprise access on \(Self.personalPermissionPage), or create new conversations (建议开发者创建新会话).",
                sql: Self.text(PackageResources.stranded_sql),
                severities: [.high],
                columns: [.type, .name, .id, .place, FindingColumn("Last seen by") { $0.seenByList }, FindingColumn("Last seen") { $0.lastSeen ?? "" }],
                line: { f in
                    f.resourceLine + "; last seen by \(f.seenByList) in run \(f.lastSeenRun ?? "?") (\(f.lastSeen ?? "?")), reachable by no credential now"
                },
                plan: PlanContribution(.grant) { facts in
                    facts.total == 0 ? nil
                        : "\(facts.total) account-level resources seen in earlier runs are now reachable by no credential (stranded)."
                },
                enterpriseEvidence: true,
                detailKeys: ["last_seen_run", "last_seen_at"])
        case .needsPersonalGrant:
            FindingKindDefinition(
                title: "Account-level resources only personal credentials reach",
                remedy: "授权团队/企业访问个人账号资源: on \(Self.personalPermissionPage) an enterprise admin clicks 授权 for the enterprise PAT or JWT app (OAuth user tokens cannot be granted); or create new conversations under the enterprise.",
                sql: Self.text(PackageResources.needs_personal_grant_sql),
                severities: [.high],
                columns: [.type, .name, .id, .place, .seenBy],
                line: Self.unseenResourceLine,
                plan: PlanContribution(.grant) { facts in
                    "\(facts.byResourceType["conversation"] ?? 0) conversations and \(facts.byResourceType["voice"] ?? 0) voices are reachable only with personal credentials."
                },
                enterpriseEvidence: true)
        case .notVisibleToEnterprise:
            FindingKindDefinition(
                title: "Workspaces, bots, apps and workflows the enterprise cannot see",
                remedy: "Migrate the workspace into the enterprise (迁移工作空间到企业团队), or give the enterprise token access to all workspaces (所有工作空间).",
                sql: Self.text(PackageResources.not_visible_to_enterprise_sql),
                severities: [.medium],
                columns: [.type, .name, .id, .place, .seenBy],
                line: Self.unseenResourceLine,
                plan: PlanContribution(.switchCallers) { facts in
                    let apps = facts.names(ofType: "app"), workflows = facts.names(ofType: "workflow")
                    let callers = apps.map { "app \($0)" } + workflows.map { "workflow \($0)" }
                    return "\(facts.total) workspaces, bots, apps or workflows are still outside the enterprise's view."
                        + (callers.isEmpty ? "" : " Switch the callers of these apps and workflows before their workspace moves (更新授权代码): "
                            + PlanFacts.list(callers) + ".")
                },
                enterpriseEvidence: true)
        case .workspaceScopeGap:
            FindingKindDefinition(
                title: "Enterprise credentials that miss enterprise workspaces",
                remedy: "Use a token valid for all workspaces of the enterprise, or re-authorize the app with 所有工作空间 so workspaces created later are covered too.",
                sql: Self.text(PackageResources.workspace_scope_gap_sql),
                severities: [.medium],
                columns: [.credential, FindingColumn("Workspace") { $0.name ?? "" }, .id, .seenBy],
                line: { f in
                    "\(f.credential ?? "") does not see workspace \(f.resourceID ?? "")\(f.name.map { " \"\(TextSafe.clean($0))\"" } ?? "") (seen by \(f.seenByList))"
                },
                plan: PlanContribution(.switchCallers) { facts in
                    "\(facts.total) enterprise workspaces are missed by a scoped enterprise credential."
                },
                finish: { finding in finding.seenBy = finding.seenBy?.filter { $0 != finding.credential } })
        case .oboCannotUseGrant:
            FindingKindDefinition(
                title: "Enterprise OAuth user tokens (cannot be granted personal resources)",
                remedy: "OAuth user (OBO) tokens cannot be granted access to personal-account resources (仅支持 PAT 和 AppAuth 授权): use an enterprise PAT or JWT app for conversations and voices; on 4100/4101 re-trigger authorization (鉴权失败时重新触发授权).",
                sql: Self.text(PackageResources.obo_cannot_use_grant_sql),
                severities: [.medium],
                columns: [.credential, .sinceRun],
                line: { "\($0.credential ?? "") is an OAuth user token: the personal-resource grant cannot apply to it" },
                plan: PlanContribution(.switchCallers) { facts in
                    facts.credentials.isEmpty ? nil
                        : "OAuth user tokens (\(facts.credentials.joined(separator: ", "))) re-trigger authorization on 4100/4101 and can never be granted personal resources."
                },
                fromConfigAlone: true)
        case .stalePAT:
            FindingKindDefinition(
                title: "Personal access tokens that can be deleted",
                remedy: "Delete the token on \(Self.patPage) (迁移成功且验证 API 访问正常之后，建议及时删除旧的个人访问令牌). Never disable or delete the personal OAuth app.",
                sql: Self.text(PackageResources.stale_pat_sql),
                severities: [.medium, .low],
                columns: [.credential, FindingColumn("Reason") { $0.reason ?? "" },
                          FindingColumn("Not observed") { ($0.notObserved ?? []).joined(separator: ", ") }, .sinceRun],
                line: { f in
                    var text = "\(f.credential ?? "") \(f.reason ?? "")"
                    if let missing = f.notObserved, !missing.isEmpty { text += " (not observed: \(missing.joined(separator: ", ")))" }
                    return text + "; delete it on the Coze PAT page"
                },
                plan: PlanContribution(.cleanUp) { facts in
                    facts.credentials.isEmpty ? "No PAT can be deleted yet." : "Delete: \(facts.credentials.joined(separator: ", "))."
                },
                detailKeys: ["not_observed"],
                // Only a superseded PAT was heard from on every listing; an invalid one names nothing.
                finish: { finding in finding.notObserved = finding.reason == "superseded" ? finding.notObserved ?? [] : nil })
        case .patStillRequired:
            FindingKindDefinition(
                title: "Personal access tokens still required",
                remedy: "Keep this token: it is the only way to reach the resources counted here. Grant the enterprise access or migrate them first.",
                sql: Self.text(PackageResources.pat_still_required_sql),
                severities: [.info],
                columns: [.credential, FindingColumn("Resources only it sees") { String($0.exclusiveResources ?? 0) }, .sinceRun],
                line: { "\($0.credential ?? "") is the only credential that sees \($0.exclusiveResources ?? 0) resources; keep it" },
                plan: PlanContribution(.cleanUp) { facts in
                    facts.credentials.isEmpty ? nil : "Keep for now: \(facts.credentials.joined(separator: ", "))."
                },
                countsExclusiveResources: true)
        case .patInProduction:
            FindingKindDefinition(
                title: "Enterprise PATs used where a JWT app belongs",
                remedy: "PATs are meant for tests and debugging with tight scope and expiry (生产环境中建议避免使用个人访问令牌): move production callers to a JWT app (AppAuth).",
                sql: Self.text(PackageResources.pat_in_production_sql),
                severities: [.low],
                columns: [.credential, .sinceRun],
                line: { "\($0.credential ?? "") is an enterprise PAT; use a JWT app in production" },
                fromConfigAlone: true)
        }
    }

    public var title: String { definition.title }
    public var remedy: String { definition.remedy }

    /// A resource the enterprise does not see: where it is and who sees it.
    @Sendable static func unseenResourceLine(_ f: Finding) -> String {
        var text = f.resourceLine
        if let workspace = f.workspace { text += " in \(TextSafe.clean(workspace, limit: 60))" }
        return text + "; seen by \(f.seenByList)"
    }

    /// `app_not_authorized` when the configured token path refused and the other documented one served:
    /// which path a migrated app must use is not documented, so the remedy is a config change to try,
    /// not the admin's authorization.
    public static func otherPathRemedy(refused: String, served: String) -> String {
        "The token endpoint refused \(refused) but the other documented path \(served) served a token: coze-audit used it for this run. Configure the app with account_id (the /account/{id}/token path, used by multi-organization enterprises) instead of enterprise_id, or ask the enterprise admin whether the app is an enterprise privilege app (企业特权应用)."
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
