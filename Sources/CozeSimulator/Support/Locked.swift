import Foundation

/// A value behind a lock. The simulator's state is touched from request handlers on NIO threads
/// and from tests synchronously (`update`, `requestLog`), so an actor would force `await` on
/// the public API the contract fixes as synchronous.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
