import AsyncHTTPClient
import Foundation

/// Supplies the bearer token for OpenAPI calls.
///
/// A protocol because the three credential kinds differ only in how they get a token: a PAT is
/// static, a JWT app and an OAuth user token are fetched and refreshed over HTTP (hence the
/// `HTTPClient` and base URL parameters).
public protocol CozeAuth: Sendable {
    /// `"sha256:<12 hex>"`: identifies the credential across runs without revealing it.
    var fingerprint: String { get }
    /// A currently valid access token; throws ``CozeAPIError`` (kind `.auth`) when one cannot be had.
    func accessToken(using http: HTTPClient, baseURL: String) async throws -> String
    /// When the current access token expires, if known (nil for PATs, whose expiry no API reports).
    var tokenExpiry: Date? { get async }
    /// Called after the API answered 4100 to a token from ``accessToken(using:baseURL:)``, so a
    /// cached token that was revoked early is not reused (no-op for static tokens).
    func invalidateToken() async
    /// Set when the configured token endpoint refused and another documented one served the
    /// token (JWT apps: `/enterprise_id/{id}/token` refused, `/account/{id}/token` served).
    var tokenPathFallback: TokenPathFallback? { get async }
}

/// A token endpoint refused with an answer (`access_deny`) while another documented path with the
/// same id served a token. Which one a migrated app must use is not documented (multi-organization
/// enterprises use `/account/{org_id}/token`), so the auditor says so instead of blaming the
/// admin's authorization.
public struct TokenPathFallback: Sendable, Equatable {
    /// `"POST /api/permission/oauth2/enterprise_id/…/token"`
    public var refused: String
    /// The refusal as the endpoint said it (`access_deny: …`).
    public var refusal: String
    /// `"POST /api/permission/oauth2/account/…/token"`
    public var served: String

    public init(refused: String, refusal: String, served: String) {
        self.refused = refused
        self.refusal = refusal
        self.served = served
    }
}

extension CozeAuth {
    public var tokenExpiry: Date? { get async { nil } }
    public func invalidateToken() async {}
    public var tokenPathFallback: TokenPathFallback? { get async { nil } }
}
