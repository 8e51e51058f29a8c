import CozeAPI
import Synchronization

/// Every HTTP attempt of one credential, as the client's observer reports it: the real request
/// counts (retries included) and the failed attempts waiting to be stored as `request_failure` rows.
///
/// The observer is synchronous and must not block, so it only appends under a mutex; the crawl
/// session drains the failures into the store after each listing.
final class RequestLedger: Sendable {
    struct Failure: Sendable, Equatable {
        var endpoint: String
        var params: String
        var httpStatus: Int?
        var code: Int?
        var message: String
        var logID: String?

        var key: String { logID ?? "\(endpoint)|\(message)" }
    }

    fileprivate struct State {
        var requests = 0
        var failed = 0
        var pending: [Failure] = []
        /// Failed attempts seen (log id, or endpoint and message without one), to tell observed
        /// failures from unusable answers.
        var seenFailures: Set<String> = []
    }

    private let state = Mutex(State())

    /// The observer to install in the client's options; calls `previous` too, if any.
    func observer(chaining previous: CozeRequestObserver?) -> CozeRequestObserver {
        { [self] event in
            record(event)
            previous?(event)
        }
    }

    func record(_ event: CozeRequestEvent) {
        let failure: CozeAPIError?
        switch event.outcome {
        case .success: failure = nil
        case .willRetry(let error, _), .failure(let error): failure = error
        }
        state.withLock { state in
            state.requests += 1
            guard let failure else { return }
            state.add(Failure(
                endpoint: event.endpoint, params: event.query, httpStatus: event.httpStatus ?? failure.httpStatus,
                code: event.code ?? failure.code, message: Self.message(failure), logID: event.logID ?? failure.logID))
        }
    }

    /// A listing error raised after a successful HTTP answer (a pagination loop, a dropped page, an
    /// item without an id): the observer saw a success, so the answer is counted as failed here.
    /// Errors the observer already recorded (same log id) are not counted twice. `params` are the
    /// listing's (the page number is in the message).
    func recordUnusableAnswer(_ error: CozeAPIError, params: String) {
        guard error.kind == .paginationLoop || error.kind == .malformedBody else { return }
        let failure = Failure(endpoint: error.endpoint, params: params, httpStatus: error.httpStatus, code: error.code,
                              message: Self.message(error), logID: error.logID)
        state.withLock { state in
            guard !state.seenFailures.contains(failure.key) else { return }
            state.add(failure)
        }
    }

    static func message(_ error: CozeAPIError) -> String {
        error.hint.map { "\(error.message); \($0)" } ?? error.message
    }

    /// (requests, failed requests) so far.
    var counts: (requests: Int, failed: Int) {
        state.withLock { ($0.requests, $0.failed) }
    }

    /// The failures not yet stored, oldest first; they are forgotten here.
    func takeFailures() -> [Failure] {
        state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
    }
}

extension RequestLedger.State {
    mutating func add(_ failure: RequestLedger.Failure) {
        failed += 1
        pending.append(failure)
        seenFailures.insert(failure.key)
    }
}
