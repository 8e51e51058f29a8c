import Foundation

/// How `coze-audit bench` learns the peak RSS of a `coze-audit` child (`report`): with
/// `COZE_AUDIT_PEAK_RSS_FILE` set, the process writes its own high-water mark there on exit. The
/// kernel's `ru_maxrss` of a spawned child also counts the parent's memory at spawn time.
public enum PeakMemory {
    public static let environmentKey = "COZE_AUDIT_PEAK_RSS_FILE"

    public static func recordIfRequested() {
        guard let path = ProcessInfo.processInfo.environment[environmentKey], !path.isEmpty else { return }
        try? Data(String(MemoryProbe.peak()).utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The peak a child recorded, in bytes.
    static func read(_ path: String) -> Int? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
