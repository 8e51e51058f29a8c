/// Waiting, injected so retry and rate-limit tests never actually sleep.
public protocol CozeSleeper: Sendable {
    func sleep(for duration: Duration) async throws
}

/// The real sleeper: `Task.sleep`, which throws `CancellationError` when the task is cancelled.
public struct TaskSleeper: CozeSleeper {
    public init() {}
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}
