import Foundation
import JWTKit

/// Checks an app's JWT the way the token endpoint does: RS256 signature with the registered
/// public key, `kid` = the app's key id, `iss` = client id, `aud` = `api.coze.cn` or the host
/// the request was sent to, `exp` in the future on the simulator clock. `jti` reuse is checked
/// by the caller under the state lock.
struct JWTAppVerifier {
    let apps: [Scenario.JWTApp]
    let now: Int64
    /// The request's `Host` (`127.0.0.1:PORT`).
    let host: String?

    static let productionAudiences: Set<String> = ["api.coze.cn", "api.coze.com"]

    func verify(_ token: String?) async throws(OAuthFailure) -> (app: Scenario.JWTApp, claims: AppJWTClaims) {
        guard let token else { throw .invalidClient("missing JWT in the Authorization header") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.decodeSegment(parts[0]), let unverified = Self.decodeSegment(parts[1]),
            let claims = try? JSONDecoder().decode(AppJWTClaims.self, from: unverified)
        else { throw .invalidClient("the JWT is malformed") }
        let headerFields = (try? JSONSerialization.jsonObject(with: header)) as? [String: Any] ?? [:]
        guard headerFields["alg"] as? String == "RS256" else { throw .invalidClient("the JWT must be signed with RS256") }
        guard let issuer = claims.iss, let app = apps.first(where: { $0.clientID == issuer }) else {
            throw .invalidClient("unknown client id \(claims.iss ?? "(none)")")
        }
        guard headerFields["kid"] as? String == app.keyID else {
            throw .invalidClient("kid does not match the app's public key")
        }
        do {
            let keys = JWTKeyCollection()
            await keys.add(rsa: try Insecure.RSA.PublicKey(pem: app.publicKeyPEM), digestAlgorithm: .sha256, kid: JWKIdentifier(string: app.keyID))
            _ = try await keys.verify(token, as: AppJWTClaims.self)
        } catch {
            throw .invalidClient("the JWT signature is invalid")
        }
        try checkClaims(claims)
        return (app, claims)
    }

    private func checkClaims(_ claims: AppJWTClaims) throws(OAuthFailure) {
        var audiences = Self.productionAudiences
        if let host {
            audiences.insert(host)
            audiences.insert(String(host.split(separator: ":").first ?? Substring(host)))
        }
        guard claims.aud.contains(where: audiences.contains) else {
            throw .invalidClient("aud must be api.coze.cn or \(host ?? "the API host")")
        }
        guard let exp = claims.exp, claims.iat != nil else { throw .invalidRequest("iat and exp are required") }
        guard exp > now else { throw .invalidClient("the JWT has expired") }
        guard let jti = claims.jti, !jti.isEmpty else { throw .invalidRequest("jti is required") }
    }

    static func decodeSegment(_ segment: Substring) -> Data? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}
