import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Peak resident memory of this process over one measured phase. On Linux the kernel's
/// high-water mark (`VmHWM`) is reset through `/proc/self/clear_refs` at the start of the phase,
/// after returning freed heap to the system, so each phase reports its own peak.
enum MemoryProbe {
    /// Starts a phase; returns false where the peak cannot be reset (then it is the process's peak so far).
    @discardableResult
    static func reset() -> Bool {
        #if canImport(Glibc)
        // glibc keeps freed heap mapped; give it back so the next phase starts from what is live.
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// Peak RSS in bytes since the last `reset()`.
    static func peak() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        #if canImport(Darwin)
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #else
        return 0
        #endif
    }
}
