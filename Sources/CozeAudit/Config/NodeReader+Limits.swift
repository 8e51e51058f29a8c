import Yams

extension NodeReader {
    static let limitKeys: Set<String> = ["retries", "request_timeout_seconds", "run_timeout_seconds"]

    /// `retries: {attempts, base_delay_ms}`, `request_timeout_seconds`, `run_timeout_seconds`
    /// (all optional; unknown keys under `retries` are errors like everywhere else).
    func clientLimits(_ top: Node.Mapping) throws -> ClientLimits {
        var limits = ClientLimits()
        if let node = top["retries"] {
            let retries = try mapping(node, path: "retries")
            try rejectUnknown(retries, allowed: ["attempts", "base_delay_ms"], path: "retries")
            limits.retryAttempts = try int(retries, "attempts", path: "retries", range: 1...10)
            limits.retryBaseDelay = try int(retries, "base_delay_ms", path: "retries", range: 0...60_000).map { .milliseconds($0) }
        }
        limits.requestTimeout = try double(top, "request_timeout_seconds", path: "", range: 0.05...600).map(Self.seconds)
        limits.runTimeout = try double(top, "run_timeout_seconds", path: "", range: 1...86_400).map(Self.seconds)
        return limits
    }

    static func seconds(_ value: Double) -> Duration { .milliseconds(Int64((value * 1000).rounded())) }
}
