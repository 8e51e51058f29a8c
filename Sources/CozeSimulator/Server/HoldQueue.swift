/// Requests parked by `hold` faults and tests waiting for them to arrive.
struct HoldQueue {
    private var entries: [(request: HeldRequest, resume: CheckedContinuation<Void, Never>)] = []
    private var waiters: [(count: Int, resume: CheckedContinuation<Void, Never>)] = []

    var requests: [HeldRequest] { entries.map { $0.request } }

    mutating func park(_ request: HeldRequest, _ resume: CheckedContinuation<Void, Never>) {
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

    /// On stop: wake tests that still wait, so nothing hangs.
    mutating func cancelWaiters() {
        let pending = waiters
        waiters.removeAll()
        pending.forEach { $0.resume.resume() }
    }
}
