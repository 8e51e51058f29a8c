import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM and SIGINT while a run is in progress (systemd's stop, `timeout`, Ctrl-C): the first one
/// calls `handler` (the run command cancels the run, which stores it `failed` and releases its
/// lock); a second one, if stopping takes too long, ends the process the default way.
/// (`@unchecked`: the sources are set once in `init` and only cancelled afterwards.)
final class SignalTrap: @unchecked Sendable {
    static let names: [Int32: String] = [SIGTERM: "SIGTERM", SIGINT: "SIGINT"]

    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    init(_ signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (_ name: String) -> Void) {
        let received = Mutex(0)
        let queue = DispatchQueue(label: "coze-audit.signals")
        self.signals = signals
        sources = signals.map { number in
            // Ignored by the default action so that only the dispatch source sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let count = received.withLock { count -> Int in
                    count += 1
                    return count
                }
                guard count == 1 else {
                    signal(number, SIG_DFL)
                    kill(getpid(), number)
                    return
                }
                handler(Self.names[number] ?? "\(number)")
            }
            source.resume()
            return source
        }
    }

    /// Restores the default actions.
    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
