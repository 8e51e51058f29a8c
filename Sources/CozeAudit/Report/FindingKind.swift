/// What each finding kind means for an admin, and what to do about it, in the words of the
/// Coze migration guide (docs/product.md §3 and §3b).
public enum FindingKind: String, CaseIterable, Sendable {
    case needsPersonalGrant = "needs_personal_grant"
    case notVisibleToEnterprise = "not_visible_to_enterprise"
    case stalePAT = "stale_pat"
    case patStillRequired = "pat_still_required"
    case enterprisePermissionGap = "enterprise_permission_gap"
    case appNotAuthorized = "app_not_authorized"
    case workspaceScopeGap = "workspace_scope_gap"
    case stranded = "stranded"
    case oboCannotUseGrant = "obo_cannot_use_grant"
    case patInProduction = "pat_in_production"

    public static let personalPermissionPage = "https://www.coze.cn/personal-account-permission"
    public static let patPage = "https://www.coze.cn/open/oauth/pats"

    public var title: String {
        switch self {
        case .needsPersonalGrant: "Account-level resources only personal credentials reach"
        case .notVisibleToEnterprise: "Workspaces and bots the enterprise cannot see"
        case .stalePAT: "Personal access tokens that can be deleted"
        case .patStillRequired: "Personal access tokens still required"
        case .enterprisePermissionGap: "Permission points missing on enterprise credentials"
        case .appNotAuthorized: "JWT apps not authorized for their enterprise or account"
        case .workspaceScopeGap: "Enterprise credentials that miss enterprise workspaces"
        case .stranded: "Resources seen before and reachable by no credential now"
        case .oboCannotUseGrant: "Enterprise OAuth user tokens (cannot be granted personal resources)"
        case .patInProduction: "Enterprise PATs used where a JWT app belongs"
        }
    }

    public var remedy: String {
        switch self {
        case .needsPersonalGrant:
            "授权团队/企业访问个人账号资源: on \(Self.personalPermissionPage) an enterprise admin clicks 授权 for the enterprise PAT or JWT app (OAuth user tokens cannot be granted); or create new conversations under the enterprise."
        case .notVisibleToEnterprise:
            "Migrate the workspace into the enterprise (迁移工作空间到企业团队), or give the enterprise token access to all workspaces (所有工作空间)."
        case .stalePAT:
            "Delete the token on \(Self.patPage) (迁移成功且验证 API 访问正常之后，建议及时删除旧的个人访问令牌). Never disable or delete the personal OAuth app."
        case .patStillRequired:
            "Keep this token: it is the only way to reach the resources counted here. Grant the enterprise access or migrate them first."
        case .enterprisePermissionGap:
            "Add the missing permission point to the enterprise credential (请确保已覆盖原授权的所有权限点)."
        case .appNotAuthorized:
            "重新授权 OAuth 应用: the app's creator shares its link from the personal edition (扣子 API > OAuth 应用, share icon); an enterprise admin opens it, chooses scope 企业 and 所有工作空间, then confirms on the app-installation page (企业/团队 API > 应用安装管理)."
        case .workspaceScopeGap:
            "Use a token valid for all workspaces of the enterprise, or re-authorize the app with 所有工作空间 so workspaces created later are covered too."
        case .stranded:
            "These were reachable before and no credential reaches them now (API 方式创建的会话属于扣子用户): grant the enterprise access on \(Self.personalPermissionPage), or create new conversations (建议开发者创建新会话)."
        case .oboCannotUseGrant:
            "OAuth user (OBO) tokens cannot be granted access to personal-account resources (仅支持 PAT 和 AppAuth 授权): use an enterprise PAT or JWT app for conversations and voices; on 4100/4101 re-trigger authorization (鉴权失败时重新触发授权)."
        case .patInProduction:
            "PATs are meant for tests and debugging with tight scope and expiry (生产环境中建议避免使用个人访问令牌): move production callers to a JWT app (AppAuth)."
        }
    }

    /// `app_not_authorized` when the configured token path refused and the other documented one served:
    /// which path a migrated app must use is not documented, so the remedy is a config change to try,
    /// not the admin's authorization.
    public static func otherPathRemedy(refused: String, served: String) -> String {
        "The token endpoint refused \(refused) but the other documented path \(served) served a token: coze-audit used it for this run. Configure the app with account_id (the /account/{id}/token path, used by multi-organization enterprises) instead of enterprise_id, or ask the enterprise admin whether the app is an enterprise privilege app (企业特权应用)."
    }

    /// Ordered for people: what breaks production first.
    public var rank: Int {
        switch self {
        case .appNotAuthorized: 0
        case .enterprisePermissionGap: 1
        case .stranded: 2
        case .needsPersonalGrant: 3
        case .notVisibleToEnterprise: 4
        case .workspaceScopeGap: 5
        case .oboCannotUseGrant: 6
        case .stalePAT: 7
        case .patStillRequired: 8
        case .patInProduction: 9
        }
    }
}
