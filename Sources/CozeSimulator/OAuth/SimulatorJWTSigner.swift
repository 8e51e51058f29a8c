import Foundation
import JWTKit

/// Signs app JWTs the way the Coze SDKs do, for tests and the demo. The client side of the
/// project has its own signer in CozeAPI; this one exists so simulator tests need no client.
public struct SimulatorJWTSigner: Sendable {
    private let keys: JWTKeyCollection
    public let keyID: String

    public init(privateKeyPEM: String, keyID: String) async throws {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: privateKeyPEM), digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID))
        self.keys = keys
        self.keyID = keyID
    }

    /// The demo key pair shipped with the simulator (not a secret: it only opens the simulator).
    public static func demo(keyID: String = DemoAppKey.keyID) async throws -> SimulatorJWTSigner {
        try await SimulatorJWTSigner(privateKeyPEM: DemoAppKey.privateKeyPEM, keyID: keyID)
    }

    /// A JWT with the claims of docs/openapi.md §8.1; `exp` defaults to `issuedAt + 3600`.
    public func sign(
        clientID: String, audience: String = "api.coze.cn", issuedAt: Date = Date(), expiresAt: Date? = nil,
        jti: String = UUID().uuidString + UUID().uuidString, sessionName: String? = nil
    ) async throws -> String {
        let iat = Int64(issuedAt.timeIntervalSince1970)
        let exp = expiresAt.map { Int64($0.timeIntervalSince1970) } ?? iat + 3600
        let claims = AppJWTClaims(iss: clientID, aud: [audience], iat: iat, exp: exp, jti: jti, sessionName: sessionName)
        return try await keys.sign(claims, kid: JWKIdentifier(string: keyID), header: ["typ": "JWT"])
    }
}

/// The RSA key pair of the demo JWT app (embedded PEM files in `Scenarios/`).
public enum DemoAppKey {
    public static let keyID = "sim-demo-key"
    public static var privateKeyPEM: String { String(decoding: PackageResources.demo_app_private_key_pem, as: UTF8.self) }
    public static var publicKeyPEM: String { String(decoding: PackageResources.demo_app_public_key_pem, as: UTF8.self) }
}
