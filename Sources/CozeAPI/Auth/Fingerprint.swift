import Crypto

/// Short, stable, non-reversible labels for secrets, so reports and logs can tell credentials
/// apart without ever containing them.
public enum Fingerprint {
    /// `"sha256:"` + the first 12 hex characters of SHA-256 of `secret`'s UTF-8 bytes.
    public static func of(_ secret: String) -> String {
        let digest = SHA256.hash(data: Array(secret.utf8))
        let hex = digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        return "sha256:" + hex.prefix(12)
    }
}
