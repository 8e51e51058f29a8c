import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The fake Coze server: real paths, parameters, envelopes, `x-tt-logid` and error codes over a
/// scenario that tests can change while it runs. Start it in-process on port 0 (`start`) or run
/// it standalone until cancelled (`run`, used by `coze-audit simulate` and `demo`).
public final class CozeSimulator: Sendable {
    let engine: SimulatorEngine
    /// Set by ``init(replay:logger:)``: the recording answers instead of the scenario.
    let replay: ReplayEngine?
    private let logger: Logger
    private let server = Locked<RunningServer?>(nil)
    private let address = Locked<(host: String, port: Int)?>(nil)

    private struct RunningServer {
        var group: ServiceGroup
        var task: Task<Void, any Error>
    }

    public init(
        scenario: Scenario, logger: Logger = Logger(label: "coze-simulator"),
        clock: any SimulatorClock = SystemSimulatorClock()
    ) {
        self.logger = logger
        self.engine = SimulatorEngine(scenario: scenario, clock: clock, logger: logger)
        self.replay = nil
    }

    /// A server that answers from a recording (`simulate --replay`): every request goes to `replay`.
    public init(replay: ReplayEngine, logger: Logger = Logger(label: "coze-simulator")) {
        self.logger = logger
        self.engine = SimulatorEngine(scenario: Scenario(name: "replay"), clock: SystemSimulatorClock(), logger: logger)
        self.replay = replay
    }

    /// Binds, starts serving in the background and returns the bound port (`port: 0` = any free one).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = makeApplication(host: host, port: port) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await bound in ports {
            server.withLock { $0 = RunningServer(group: group, task: task) }
            continuation.finish()
            return bound
        }
        try await task.value
        throw SimulatorError.notStarted(host: host, port: port)
    }

    /// `http://HOST:PORT` of the running server ("" before it listens).
    public var baseURL: String {
        address.withLock { bound in bound.map { "http://\($0.host):\($0.port)" } ?? "" }
    }

    /// The bound port, nil before `start`.
    public var port: Int? { address.withLock { $0?.port } }

    /// Stops the server started by `start` gracefully (requests in flight finish); parked
    /// requests are released first.
    public func stop() async {
        engine.state.withLock { state in
            state.held.cancelWaiters()
            _ = state.held.releaseAll()
        }
        guard let running = server.withLock({ current -> RunningServer? in
            defer { current = nil }
            return current
        }) else { return }
        await running.group.triggerGracefulShutdown()
        // A graceful shutdown waits for open connections; a client that keeps one open (a leaked
        // keep-alive, a request parked by a fault) must not hang the caller: after a grace period
        // the server task is cancelled, which closes everything.
        let task = running.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(3))
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
        address.withLock { $0 = nil }
    }

    /// Serves until the calling task is cancelled (or SIGINT/SIGTERM); `onReady` gets the bound port.
    public func run(host: String, port: Int, onReady: @escaping @Sendable (Int) -> Void) async throws {
        let app = makeApplication(host: host, port: port, onReady: onReady)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // Cancelling the caller shuts down gracefully (in-flight answers finish) instead of
        // tearing channels down: the group runs in its own task so cancellation cannot reach it directly.
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// Every request answered so far, in completion order.
    public func requestLog() -> [SimulatedRequest] {
        engine.state.withLock { $0.log }
    }

    /// Forgets the request log (between phases of one test).
    public func clearRequestLog() {
        engine.state.withLock { $0.log.removeAll() }
    }

    /// Changes the scenario while running: grant, migrate a workspace, revoke a token, add a fault.
    /// Takes effect for the next request, including tokens already issued.
    public func update(_ change: @Sendable (inout Scenario) -> Void) {
        engine.state.withLock {
            change(&$0.scenario)
            $0.index = nil
        }
    }

    /// The scenario as it is now (faults with `times` count down as they fire).
    public var scenario: Scenario {
        engine.state.withLock { $0.scenario }
    }

    private func makeApplication(
        host: String, port: Int, onReady: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let engine = self.engine, replay = self.replay
        let address = self.address
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let incoming = try await HTTPBridge.incoming(request)
            if let replay { return HTTPBridge.response(await replay.handle(incoming)) }
            return HTTPBridge.response(await engine.handle(incoming))
        }
        return Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                address.withLock { $0 = (host, bound) }
                onReady(bound)
            },
            logger: logger
        )
    }
}

/// Why the simulator could not serve.
public enum SimulatorError: Error, CustomStringConvertible, Sendable {
    case notStarted(host: String, port: Int)

    public var description: String {
        switch self {
        case .notStarted(let host, let port): return "the simulator could not listen on \(host):\(port)"
        }
    }
}
