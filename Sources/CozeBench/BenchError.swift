#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the benchmark could not go on.
public enum BenchError: Error, CustomStringConvertible {
    case spawn(String, errno: Int32)
    case simulatorDidNotStart(String)
    case runFailed(String)

    public var description: String {
        switch self {
        case .spawn(let path, let errno): "cannot start \(path): \(String(cString: strerror(errno)))"
        case .simulatorDidNotStart(let detail): "the simulator did not start: \(detail)"
        case .runFailed(let detail): "an audit run failed: \(detail)"
        }
    }
}
