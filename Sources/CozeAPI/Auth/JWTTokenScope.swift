/// Which token endpoint a JWT app asks (docs/openapi.md §8.2); the id is a path segment only.
public enum JWTTokenScope: Sendable, Hashable {
    /// `/api/permission/oauth2/token`: the app's own account or enterprise.
    case own
    /// `/api/permission/oauth2/account/{account_id}/token`: a personal UID or organization id
    /// that authorized the app through its shared link.
    case account(String)
    /// `/api/permission/oauth2/enterprise_id/{enterprise_id}/token`: an enterprise privilege app.
    case enterprise(String)

    public var path: String {
        switch self {
        case .own: return "/api/permission/oauth2/token"
        case .account(let id): return "/api/permission/oauth2/account/\(OAuthTokenEndpoint.segment(id))/token"
        case .enterprise(let id): return "/api/permission/oauth2/enterprise_id/\(OAuthTokenEndpoint.segment(id))/token"
        }
    }
}
