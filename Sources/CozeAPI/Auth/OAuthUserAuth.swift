import AsyncHTTPClient
import Foundation

/// An OAuth user token ("OBO", from `coze-audit login`) kept in a token file.
///
/// Refreshed with the refresh token when it is within `refreshMargin` of expiry; the new pair is
/// written back to the file at once, because Coze rotates refresh tokens and the old one stops
/// working. An actor so concurrent callers share one refresh.
public actor OAuthUserAuth: CozeAuth {
    public nonisolated let clientID: String
    public nonisolated let tokenFile: String
    /// `sha256:` prefix of `oauth:<client_id>:<token file path>`: stable across refreshes.
    public nonisolated let fingerprint: String
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var token: OAuthToken?
    private var inflight: Task<OAuthToken, any Error>?

    public init(clientID: String, tokenFile: String, refreshMargin: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.clientID = clientID
        self.tokenFile = tokenFile
        self.fingerprint = Fingerprint.of("oauth:" + clientID + ":" + tokenFile)
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public var tokenExpiry: Date? { token?.expiresAt }

    public func accessToken(using http: HTTPClient, baseURL: String) async throws -> String {
        if token == nil { token = try OAuthTokenFile.read(path: tokenFile, now: now()) }
        guard let current = token else { throw OAuthTokenFile.Error(path: tokenFile, reason: "has no token") }
        if now() < current.expiresAt.addingTimeInterval(-refreshMargin) { return current.accessToken }
        if let inflight { return try await inflight.value.accessToken }
        guard let refreshToken = current.refreshToken else {
            throw CozeAPIError(
                kind: .auth, endpoint: "POST /api/permission/oauth2/token", message: "access token expired and the token file has no refresh_token; run `coze-audit login` again",
                authErrorCode: "expired_token")
        }
        let task = Task { try await self.refresh(refreshToken, using: http, baseURL: baseURL) }
        inflight = task
        defer { inflight = nil }
        let fresh = try await task.value
        token = fresh
        return fresh.accessToken
    }

    private func refresh(_ refreshToken: String, using http: HTTPClient, baseURL: String) async throws -> OAuthToken {
        let body = JSONValue.object([
            ("grant_type", .string("refresh_token")), ("client_id", .string(clientID)), ("refresh_token", .string(refreshToken)),
        ])
        var fresh = try await OAuthTokenEndpoint(baseURL: baseURL)
            .token("/api/permission/oauth2/token", body: body, bearer: nil, using: http, now: now())
        if fresh.refreshToken == nil { fresh.refreshToken = refreshToken }
        try OAuthTokenFile.write(fresh, to: tokenFile)
        return fresh
    }
}
