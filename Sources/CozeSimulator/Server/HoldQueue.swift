/// Requests parked by `hold` faults and tests waiting for them to arrive.
struct HoldQueue {
    private var entries: [(request: HeldRequest, resume: CheckedContinuation<Void, Never>)] = []
    private var waiters: [(count: Int, resume: CheckedContinuation<Void, Never>)] = []

    /// Set when the simulator stops: a request that arrives later (a client that timed out before
    /// its request got here, say) is not parked, or the graceful shutdown would wait for it forever.
    private(set) var closed = false

    var requests: [HeldRequest] { entries.map { $0.request } }

    mutating func park(_ request: HeldRequest, _ resume: CheckedContinuation<Void, Never>) {
        guard !closed else { return resume.resume() }
        entries.append((request, resume))
        let ready = waiters.filter { $0.count <= entries.count }
        waiters.removeAll { $0.count <= entries.count }
        ready.forEach { $0.resume.resume() }
    }

    mutating func wait(forCount count: Int, _ resume: CheckedContinuation<Void, Never>) {
        if entries.count >= count {
            resume.resume()
        } else {
            waiters.append((count, resume))
        }
    }

    /// Lets every parked request continue; returns how many there were.
    mutating func releaseAll() -> Int {
        let released = entries
        entries.removeAll()
        released.forEach { $0.resume.resume() }
        return released.count
    }

    /// On stop: park nothing more, and wake tests that still wait, so nothing hangs.
    mutating func cancelWaiters() {
        closed = true
        let pending = waiters
        waiters.removeAll()
        pending.forEach { $0.resume.resume() }
    }
}
