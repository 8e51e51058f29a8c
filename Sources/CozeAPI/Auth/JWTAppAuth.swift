import AsyncHTTPClient
import Foundation
import JWTKit

/// An OAuth JWT app ("AppAuth"): signs an RS256 assertion and trades it for a short-lived
/// access token at the scope's token endpoint.
///
/// An actor because many crawl tasks share one credential: the token is cached and renewed
/// `refreshMargin` before it expires, and concurrent callers that find it stale share one
/// in-flight request instead of each signing their own (a JWT is single-use).
public actor JWTAppAuth: CozeAuth {
    public nonisolated let clientID: String
    public nonisolated let keyID: String
    public nonisolated let scope: JWTTokenScope
    /// `sha256:` prefix of `client_id:key_id` (the private key is never hashed into output).
    public nonisolated let fingerprint: String
    private let key: Insecure.RSA.PrivateKey
    private var keys: JWTKeyCollection?
    private let durationSeconds: Int
    private let refreshMargin: TimeInterval
    private let sessionName: String?
    private let now: @Sendable () -> Date
    private let makeJTI: @Sendable () -> String
    private var cached: OAuthToken?
    /// The path that serves tokens after the configured one refused (see ``TokenPathFallback``).
    private var fallback: TokenPathFallback?
    private var inflight: Task<OAuthToken, any Error>?

    /// - Parameters:
    ///   - privateKeyPEM: The app's RSA private key (PKCS#1 or PKCS#8 PEM); parsed now so a bad
    ///     key file fails at configuration time.
    ///   - durationSeconds: Requested token lifetime (Coze default 900, max 86399).
    ///   - now: Injected clock for expiry decisions and `iat`/`exp`.
    public init(
        clientID: String,
        keyID: String,
        privateKeyPEM: String,
        scope: JWTTokenScope = .own,
        durationSeconds: Int = 900,
        refreshMargin: TimeInterval = 60,
        sessionName: String? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        makeJTI: (@Sendable () -> String)? = nil
    ) throws {
        self.clientID = clientID
        self.keyID = keyID
        self.scope = scope
        self.fingerprint = Fingerprint.of(clientID + ":" + keyID)
        self.key = try Insecure.RSA.PrivateKey(pem: privateKeyPEM)
        self.durationSeconds = durationSeconds
        self.refreshMargin = refreshMargin
        self.sessionName = sessionName
        self.now = now
        self.makeJTI = makeJTI ?? { JWTAssertion.randomJTI() }
    }

    /// Expiry of the cached access token, if one was obtained.
    public var tokenExpiry: Date? { cached?.expiresAt }

    public func accessToken(using http: HTTPClient, baseURL: String) async throws -> String {
        if let cached, now() < cached.expiresAt.addingTimeInterval(-refreshMargin) { return cached.accessToken }
        if let inflight { return try await inflight.value.accessToken }
        let task = Task { try await self.requestToken(using: http, baseURL: baseURL) }
        inflight = task
        defer { inflight = nil }
        let token = try await task.value
        cached = token
        return token.accessToken
    }

    public var tokenPathFallback: TokenPathFallback? { fallback }

    /// Forgets the cached token (the client calls this after the API answered 4100 to it).
    public func invalidateToken() { cached = nil }

    /// A signed assertion for `baseURL` (exposed for tests and `check`).
    public func signedAssertion(baseURL: String) async throws -> String {
        let issuedAt = Int64(now().timeIntervalSince1970)
        let claims = JWTAssertion(
            iss: clientID, aud: JWTAssertion.audience(for: baseURL), iat: issuedAt, exp: issuedAt + 600,
            jti: makeJTI(), session_name: sessionName)
        var header = JWTHeader()
        header.alg = "RS256"
        header.typ = "JWT"
        header.kid = keyID
        let kid = JWKIdentifier(string: keyID)
        let keys: JWTKeyCollection
        if let existing = self.keys {
            keys = existing
        } else {
            keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: kid)
            self.keys = keys
        }
        return try await keys.sign(claims, kid: kid, header: header)
    }

    private func requestToken(using http: HTTPClient, baseURL: String) async throws -> OAuthToken {
        let assertion = try await signedAssertion(baseURL: baseURL)
        let body = JSONValue.object([
            ("grant_type", .string("urn:ietf:params:oauth:grant-type:jwt-bearer")),
            ("duration_seconds", .number(String(durationSeconds))),
        ])
        let endpoint = OAuthTokenEndpoint(baseURL: baseURL)
        if let fallback {
            return try await endpoint.token(String(fallback.served.dropFirst("POST ".count)), body: body,
                                            bearer: assertion, using: http, now: now())
        }
        do {
            return try await endpoint.token(scope.path, body: body, bearer: assertion, using: http, now: now())
        } catch let refused as CozeAPIError {
            // The enterprise path answered "denied": the other documented path with the same id
            // (multi-organization enterprises, migrated apps) may serve it. A JWT is single use, so
            // the second request signs a new one. Only an answer triggers this, never a failure.
            guard refused.classification == .permissionDenied, case .enterprise(let id) = scope else { throw refused }
            let other = JWTTokenScope.account(id)
            let token: OAuthToken
            do {
                token = try await endpoint.token(other.path, body: body, bearer: try await signedAssertion(baseURL: baseURL),
                                                 using: http, now: now())
            } catch let second as CozeAPIError {
                // Both documented paths refused: the finding names both, the first answer stays the evidence.
                var both = refused
                both.message += (both.message.isEmpty ? "" : "; ") + "also tried POST \(other.path): \(second.authErrorCode ?? second.classification.words)"
                throw both
            }
            let refusal = [refused.authErrorCode, refused.message.isEmpty ? nil : refused.message].compactMap { $0 }.joined(separator: ": ")
            fallback = TokenPathFallback(refused: "POST " + scope.path, refusal: refusal, served: "POST " + other.path)
            return token
        }
    }
}
