import Foundation

/// Where the simulator reads the time (token expiry, JWT `exp`, rate limits, log ids), so tests
/// move time forward instead of sleeping.
public protocol SimulatorClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemSimulatorClock: SimulatorClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told: `advance(by:)`.
public final class ManualSimulatorClock: SimulatorClock {
    private let current: Locked<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_735_689_600)) {
        self.current = Locked(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

extension SimulatorClock {
    /// Unix seconds, the unit of every Coze timestamp.
    var unixNow: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
}
