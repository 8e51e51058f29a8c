import CozeAPI
import Synchronization

/// A thread-safe append-only log for closures called from other tasks (observers, fake fetchers).
public final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])
    public init() {}
    public func append(_ value: Value) { storage.withLock { $0.append(value) } }
    public var values: [Value] { storage.withLock { $0 } }
}

/// Records every wait instead of waiting, so retries, backoff and device-flow polling cost no
/// time and a test can assert on the waits the client chose; `onSleep` (given the number of waits
/// so far) lets a test act "while" the client sleeps: approve a device code, advance a clock.
public final class RecordingSleeper: CozeSleeper, Sendable {
    public let sleeps = Recorder<Duration>()
    private let onSleep: @Sendable (Int) -> Void

    public init(onSleep: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.onSleep = onSleep
    }

    public func sleep(for duration: Duration) async throws {
        sleeps.append(duration)
        onSleep(sleeps.values.count)
    }
}
