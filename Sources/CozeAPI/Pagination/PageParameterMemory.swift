import Synchronization

/// Which page-number parameter a server honours, per listing path, learned while paging.
///
/// The docs page `/v1/bots` and `/v1/apps` by `page_num`, cozepy by `page_index`; the real server's answer is not
/// documented (docs/evidence.md). The first listing that sees page 2 repeat page 1 learns the other
/// parameter; every later listing of the run (all credentials share one memory) starts with it, and
/// the auditor stores it per base URL so the next run starts there too.
public final class PageParameterMemory: Sendable {
    /// The paths whose page parameter is ambiguous, with the documented spelling first.
    public static let alternatives: [String: [String]] = [
        "/v1/bots": ["page_num", "page_index"],
        "/v1/apps": ["page_num", "page_index"],
    ]

    private let state: Mutex<[String: String]>

    /// - Parameter learned: path → parameter, e.g. from an earlier run.
    public init(learned: [String: String] = [:]) {
        state = Mutex(learned.filter { Self.alternatives[$0.key]?.contains($0.value) == true })
    }

    /// The parameters to try for `path`, the one to use first at the front.
    public func order(for path: String) -> [String] {
        guard let all = Self.alternatives[path] else { return ["page_num"] }
        guard let preferred = state.withLock({ $0[path] }) else { return all }
        return [preferred] + all.filter { $0 != preferred }
    }

    /// Records that the server honours `parameter` on `path`.
    public func learn(path: String, parameter: String) {
        state.withLock { $0[path] = parameter }
    }

    /// Everything known now: path → parameter.
    public var learned: [String: String] { state.withLock { $0 } }
}
