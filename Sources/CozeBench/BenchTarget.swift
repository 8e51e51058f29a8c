/// One target of the issue, judged on this run's figures.
public struct BenchTarget: Sendable {
    public var text: String
    public var met: Bool
    /// A time, memory or size target: not judged on the tiny tenants of `--quick`.
    /// Request counts and rate-limit answers are judged always.
    public var isTiming: Bool = true
}
