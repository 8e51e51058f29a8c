import Foundation
import JWTKit

/// The claims of the JWT a Coze app signs to get an access token (docs/openapi.md §8.1).
///
/// Integers, not jwt-kit's date claims, so `iat`/`exp` serialize as whole unix seconds.
struct JWTAssertion: JWTPayload {
    var iss: String
    var aud: String
    var iat: Int64
    var exp: Int64
    var jti: String
    var session_name: String?

    /// Signing only; the server verifies.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// `aud`: the base URL's host, with `:port` when the port is not the scheme's default
    /// (so `http://127.0.0.1:8080` gives `127.0.0.1:8080`, `https://api.coze.cn` gives `api.coze.cn`).
    static func audience(for baseURL: String) -> String {
        guard let url = URL(string: OAuthTokenEndpoint.trimmed(baseURL)), let host = url.host else { return baseURL }
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }

    /// 32 random bytes as 64 hex characters: unique per JWT (a JWT is single use) and above the
    /// documented 32-character minimum.
    static func randomJTI() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
