import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer at a time: an exclusive, non-blocking `flock` on `<database>.lock`. The kernel
/// releases it when the process dies, even on `kill -9`, so a crashed run never blocks the next.
public final class RunLock: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock or throws `StoreError.locked` at once (exit code 4).
    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.open(path: path, underlying: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError.locked(path: databasePath)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
