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
}

extension CozeAuth {
    public var tokenExpiry: Date? { get async { nil } }
    public func invalidateToken() async {}
}
