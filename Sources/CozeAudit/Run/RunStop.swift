import Synchronization

/// A request from outside to stop a run: the `run` command's SIGTERM/SIGINT handlers record the
/// signal here and cancel the task running ``AuditRunner/run()``, which then stores the run
/// `failed` with "terminated by signal SIGTERM before the run finished" and releases its lock.
public final class RunStop: Sendable {
    private let state = Mutex<String?>(nil)

    public init() {}

    /// Records the first signal (`SIGTERM`, `SIGINT`); later ones do not replace it.
    public func record(signal name: String) {
        state.withLock { if $0 == nil { $0 = name } }
    }

    public var signal: String? { state.withLock { $0 } }
}
