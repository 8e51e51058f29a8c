import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The token file of an OAuth user credential: `{access_token, token_type, expires_in (absolute
/// unix time), refresh_token}` (docs/product.md §1).
///
/// Writes are atomic (temporary file in the same folder, `fsync`, `rename`) with mode 0600, so a
/// crash mid-refresh never leaves a half-written file and the tokens are never world-readable.
#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

public enum OAuthTokenFile {
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "token file \(path): \(reason)" }
    }

    public static func read(path: String, now: Date = Date()) throws -> OAuthToken {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Error(path: path, reason: "cannot be read")
        }
        guard let json = try? JSONValue(parsing: Array(data)) else {
            throw Error(path: path, reason: "is not JSON")
        }
        guard let token = OAuthToken(json: json, now: now) else {
            throw Error(path: path, reason: "has no access_token")
        }
        return token
    }

    public static func write(_ token: OAuthToken, to path: String) throws {
        let bytes = Array((token.json.jsonText + "\n").utf8)
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Error(path: path, reason: "cannot create \(temporary): errno \(errno)") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let result = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                if result <= 0 { return false }
                written += result
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Error(path: path, reason: "cannot be written: errno \(errno)")
        }
    }
}
