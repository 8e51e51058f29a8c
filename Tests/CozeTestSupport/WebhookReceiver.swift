import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A local HTTP server that receives notification POSTs as a Feishu, DingTalk, WeCom or Slack bot
/// (or any webhook) would: it keeps every request and answers what `answer` says for its path.
public final class WebhookReceiver: Sendable {
    public struct Received: Sendable {
        public var method: String
        public var path: String
        /// The raw query, as sent (DingTalk's signature travels here).
        public var query: String
        public var headers: [String: String]
        public var body: Data

        /// The body as a JSON object.
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    /// Status and body to answer a POST to `path` with.
    public typealias Answer = @Sendable (_ path: String) -> (status: Int, body: String)

    private let received = Mutex<[Received]>([])
    private let answer: Answer
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)
    private let bound = Mutex("")

    /// `http://127.0.0.1:PORT` once started.
    public var baseURL: String { bound.withLock { $0 } }

    public init(answer: @escaping Answer) {
        self.answer = answer
    }

    /// Every request so far, in arrival order.
    public var requests: [Received] { received.withLock { $0 } }

    public func start() async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { [self] request, _ in
            let body = try await request.body.collect(upTo: 4 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let path = request.uri.path
            self.received.withLock {
                $0.append(Received(method: request.method.rawValue, path: path, query: request.uri.query ?? "", headers: headers,
                                   body: Data(body.readableBytesView)))
            }
            let (status, text) = self.answer(path)
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        running.withLock { $0 = (group, task) }
        for await port in ports {
            bound.withLock { $0 = "http://127.0.0.1:\(port)" }
            return
        }
    }

    public func stop() async {
        guard let (group, task) = running.withLock({ current in defer { current = nil }; return current }) else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
