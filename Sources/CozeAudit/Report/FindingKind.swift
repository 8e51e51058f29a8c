/// What each finding kind means for an admin, and what to do about it, in the words of the
/// Coze migration guide (`shared/coze-migration-guide.md`).
public enum FindingKind: String, CaseIterable, Sendable {
    case needsPersonalGrant = "needs_personal_grant"
    case notVisibleToEnterprise = "not_visible_to_enterprise"
    case stalePAT = "stale_pat"
    case patStillRequired = "pat_still_required"
    case enterprisePermissionGap = "enterprise_permission_gap"

    public static let personalPermissionPage = "https://www.coze.cn/personal-account-permission"
    public static let patPage = "https://www.coze.cn/open/oauth/pats"

    public var title: String {
        switch self {
        case .needsPersonalGrant: "Account-level resources only personal credentials reach"
        case .notVisibleToEnterprise: "Workspaces and bots the enterprise cannot see"
        case .stalePAT: "Personal access tokens that can be deleted"
        case .patStillRequired: "Personal access tokens still required"
        case .enterprisePermissionGap: "Permission points missing on enterprise credentials"
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
        }
    }

    /// Ordered for people: what breaks production first.
    public var rank: Int {
        switch self {
        case .enterprisePermissionGap: 0
        case .needsPersonalGrant: 1
        case .notVisibleToEnterprise: 2
        case .stalePAT: 3
        case .patStillRequired: 4
        }
    }
}
