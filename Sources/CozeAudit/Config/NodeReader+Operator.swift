import Yams

extension NodeReader {
    static let operatorKeys: Set<String> = ["log_level", "retention"]
    /// The levels of swift-log, as `COZE_AUDIT_LOG_LEVEL` and `log_level:` spell them.
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// `log_level: warning` (optional).
    func logLevel(_ top: Node.Mapping) throws -> String? {
        guard let level = try string(top, "log_level", path: "") else { return nil }
        guard Self.logLevels.contains(level) else {
            throw error(top["log_level"], "log_level", "expected one of \(Self.logLevels.joined(separator: ", ")), got \"\(level)\"")
        }
        return level
    }

    /// `retention: { keep_runs: 7, keep_days: 30 }` (optional; at least one of the two).
    func retention(_ top: Node.Mapping) throws -> RetentionPolicy? {
        guard let node = top["retention"] else { return nil }
        let map = try mapping(node, path: "retention")
        try rejectUnknown(map, allowed: ["keep_runs", "keep_days"], path: "retention")
        let policy = RetentionPolicy(keepRuns: try int(map, "keep_runs", path: "retention", range: 1...100_000),
                                     keepDays: try int(map, "keep_days", path: "retention", range: 1...36_500))
        guard policy.keepRuns != nil || policy.keepDays != nil else {
            throw error(node, "retention", "needs keep_runs, keep_days or both")
        }
        return policy
    }
}
