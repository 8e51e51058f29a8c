import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer at a time: an exclusive, non-blocking `flock` on `<database>.lock`. The kernel
/// releases it when the process dies, even on `kill -9`, so a crashed run never blocks the next.
///
/// Readers (`runs`, `report`, `diff`) probe the same lock with a shared, non-blocking `flock`
/// (``isHeld(databasePath:)``) to tell a run that is still `running` from one whose process died.
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
        // A reader's probe holds a shared lock for a few microseconds; a writer that meets one
        // tries again a few times (at most ~50 ms) before it reports another run.
        var attempts = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            guard errno == EWOULDBLOCK || errno == EINTR, attempts < 6 else {
                close(fd)
                throw StoreError.locked(path: databasePath)
            }
            usleep(10_000)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether a process holds the writer lock of `databasePath` now: true (a run is live), false
    /// (no lock file, or nobody holds it), nil (the lock file cannot be opened to find out).
    public static func isHeld(databasePath: String) -> Bool? {
        let fd = open(databasePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? false : nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK ? true : nil
    }
}
