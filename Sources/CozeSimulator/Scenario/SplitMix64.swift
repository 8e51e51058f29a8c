/// A tiny seeded generator (SplitMix64), so `Scenario.generate(seed:)` gives the same tenant on
/// every machine and Swift version (the standard library's generator is not seedable).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<upperBound without `Int.random(in:using:)`, whose algorithm may change.
    mutating func below(_ upperBound: Int) -> Int {
        Int(next() % UInt64(max(1, upperBound)))
    }

    /// True with the given probability in percent.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }
}
