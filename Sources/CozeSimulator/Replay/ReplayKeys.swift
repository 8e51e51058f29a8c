import CryptoExtras

/// RS256 key pairs for the JWT apps of a replay: made when the configuration is written, never
/// taken from the recording (which holds no key).
enum ReplayKeys {
    /// A 2048-bit RSA key pair as PEM (private: PKCS#8, public: SubjectPublicKeyInfo).
    static func generate() throws -> (privatePEM: String, publicPEM: String) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return (key.pkcs8PEMRepresentation, key.publicKey.pemRepresentation)
    }
}
