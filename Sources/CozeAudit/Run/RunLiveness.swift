import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells, at read time, a run that is really `running` from one whose process died (`kill -9`, an
/// OOM kill, a reboot): a run is live only while its process holds the writer lock
/// (``RunLock``), which the kernel releases when the process dies. `runs`, `report`, `diff` and the
/// HTML history show a dead one as `failed` with ``interruptedReason``; the next `run` stores it so
/// (``RunRecorder/begin(store:baseURL:startedAt:)``). Reading never writes.
public enum RunLiveness {
    public static let interruptedReason = "interrupted: the process stopped before the run finished (killed or crashed)"

    /// The runs stored `running` whose process is gone: all of them when nobody holds the lock;
    /// when a process holds it, all but the latest (the live one). None for an in-memory store.
    public static func interruptedRuns(_ db: Database, databasePath: String?) throws -> Set<Int64> {
        let running = try RunRecord.fetchAll(db, sql: "SELECT * FROM run WHERE status = ? ORDER BY id", arguments: [RunStatus.running])
        guard let latest = running.last, let databasePath else { return [] }
        let ids = running.map(\.id)
        // The lock file cannot be opened (a folder this user may not read): ask whether the
        // process recorded in the run row is still alive instead.
        let live = RunLock.isHeld(databasePath: databasePath) ?? processAlive(latest.pid)
        return Set(live ? ids.dropLast() : ids)
    }

    static func processAlive(_ pid: Int?) -> Bool {
        guard let pid, pid > 0 else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

}

extension AuditStore {
    /// See ``RunLiveness/interruptedRuns(_:databasePath:)``.
    public func interruptedRuns() throws -> Set<Int64> {
        let path = self.path
        return try read { db in try RunLiveness.interruptedRuns(db, databasePath: path) }
    }
}
