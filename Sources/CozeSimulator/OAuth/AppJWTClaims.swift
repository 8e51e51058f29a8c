import Foundation
import JWTKit

/// The claims of an app's JWT (docs/openapi.md §8.1). Integers, not jwt-kit's date claims, so the
/// simulator checks `exp` against its own injectable clock rather than the wall clock.
struct AppJWTClaims: JWTPayload, Equatable {
    var iss: String?
    var aud: [String]
    var iat: Int64?
    var exp: Int64?
    var jti: String?
    var sessionName: String?

    enum CodingKeys: String, CodingKey {
        case iss, aud, iat, exp, jti
        case sessionName = "session_name"
    }

    init(iss: String?, aud: [String], iat: Int64?, exp: Int64?, jti: String?, sessionName: String? = nil) {
        self.iss = iss
        self.aud = aud
        self.iat = iat
        self.exp = exp
        self.jti = jti
        self.sessionName = sessionName
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try c.decodeIfPresent(String.self, forKey: .iss)
        if let single = try? c.decodeIfPresent(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = (try? c.decodeIfPresent([String].self, forKey: .aud)) ?? []
        }
        iat = Self.seconds(c, .iat)
        exp = Self.seconds(c, .exp)
        jti = try c.decodeIfPresent(String.self, forKey: .jti)
        sessionName = try c.decodeIfPresent(String.self, forKey: .sessionName)
    }

    /// Unix seconds sent as an integer or a float.
    private static func seconds(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Int64? {
        if let value = try? c.decodeIfPresent(Int64.self, forKey: key) { return value }
        return (try? c.decodeIfPresent(Double.self, forKey: key)).flatMap { $0.map { Int64($0) } }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(iss, forKey: .iss)
        if aud.count == 1 { try c.encode(aud[0], forKey: .aud) } else { try c.encode(aud, forKey: .aud) }
        try c.encodeIfPresent(iat, forKey: .iat)
        try c.encodeIfPresent(exp, forKey: .exp)
        try c.encodeIfPresent(jti, forKey: .jti)
        try c.encodeIfPresent(sessionName, forKey: .sessionName)
    }

    /// Claims are checked by `JWTAppVerifier` against the simulator clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
