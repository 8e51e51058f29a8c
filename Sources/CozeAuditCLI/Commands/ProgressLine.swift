import CozeAudit
import Foundation

/// Per-credential progress on one line of a terminal, redrawn in place. Only used on a TTY:
/// cron gets no progress noise.
actor ProgressLine: CrawlProgress {
    private var counters: [String: CrawlCounters] = [:]
    private var lastDraw = Date.distantPast

    func update(credential: String, counters: CrawlCounters) {
        self.counters[credential] = counters
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let text: String = self.counters.keys.sorted().map { name -> String in
            let c = self.counters[name]!
            return "\(name): \(c.requests) req, \(c.resources) res\(c.errors > 0 ? ", \(c.errors) err" : "")"
        }.joined(separator: " | ")
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + String(text.prefix(200))).utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
