import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP request/response with the whole body read, bounded in time and size.
///
/// Shared by the OpenAPI client and the OAuth token flows, so both get the same deadline,
/// body cap and error mapping (AHC and NIO errors become ``CozeAPIError`` of kind
/// `.timeout`, `.transport` or `.bodyTooLarge`).
struct HTTPExchange: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The `x-tt-logid` response header.
    var headerLogID: String? { headers.first(name: "x-tt-logid").flatMap { $0.isEmpty ? nil : $0 } }

    /// `Retry-After` in seconds (the HTTP-date form is not used by Coze and is ignored).
    var retryAfter: Duration? {
        guard let value = headers.first(name: "retry-after")?.trimmingWhitespace(), let seconds = Double(value),
            seconds.isFinite, seconds >= 0
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func send(
        _ http: HTTPClient,
        method: HTTPMethod,
        url: String,
        headers: [(String, String)],
        body: [UInt8]? = nil,
        endpoint: String,
        timeout: Duration,
        runDeadline: ContinuousClock.Instant?,
        maxBodyBytes: Int,
        logger: Logger
    ) async throws -> HTTPExchange {
        let deadline = try nioDeadline(timeout: timeout, runDeadline: runDeadline, endpoint: endpoint)
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await http.execute(request, deadline: deadline, logger: logger)
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                throw NIOTooManyBytesError(maxBytes: maxBodyBytes)
            }
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            return HTTPExchange(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        } catch {
            throw mapError(error, endpoint: endpoint, maxBodyBytes: maxBodyBytes)
        }
    }

    /// The earlier of now + `timeout` and the run deadline; throws `.timeout` if the run deadline has passed.
    static func nioDeadline(timeout: Duration, runDeadline: ContinuousClock.Instant?, endpoint: String) throws -> NIODeadline {
        var budget = timeout
        if let runDeadline {
            let remaining = runDeadline - ContinuousClock.now
            guard remaining > .zero else {
                throw CozeAPIError(kind: .timeout, endpoint: endpoint, message: "run deadline passed before the request started")
            }
            budget = min(budget, remaining)
        }
        let (seconds, attoseconds) = budget.components
        return .now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    static func mapError(_ error: any Error, endpoint: String, maxBodyBytes: Int) -> any Error {
        if error is CozeAPIError || error is CancellationError { return error }
        if error is NIOTooManyBytesError {
            return CozeAPIError(kind: .bodyTooLarge, endpoint: endpoint, message: "response body exceeds \(maxBodyBytes) bytes")
        }
        if let client = error as? HTTPClientError {
            switch client {
            case .cancelled where Task.isCancelled:
                return CancellationError()
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return CozeAPIError(kind: .timeout, endpoint: endpoint, message: "request timed out (\(client))")
            default:
                return CozeAPIError(kind: .transport, endpoint: endpoint, message: plainWords(String(describing: client)))
            }
        }
        if Task.isCancelled { return CancellationError() }
        return CozeAPIError(kind: .transport, endpoint: endpoint, message: plainWords(String(describing: error)))
    }

    /// NIO's and AHC's descriptions nest parentheses ("connection reset (error set): Connection
    /// refused) (errno: 111)"); the common causes are said in plain words, the rest kept as is.
    static func plainWords(_ description: String) -> String {
        let lower = description.lowercased()
        return connectionWords.first { lower.contains($0.fragment) }?.words ?? description
    }

    /// A fragment of a transport error's description, and what it means in plain words.
    static let connectionWords: [(fragment: String, words: String)] = [
        ("connection refused", "connection refused"),
        ("connection reset", "connection reset"),
        ("broken pipe", "connection closed"),
        ("remoteconnectionclosed", "connection closed by the server"),
        ("getaddrinfo", "DNS lookup failed"), ("nodename nor servname", "DNS lookup failed"),
        ("name or service not known", "DNS lookup failed"), ("no address", "DNS lookup failed"),
        ("handshake", "TLS handshake failed"), ("certificate", "TLS certificate rejected"),
        ("network is unreachable", "network unreachable"), ("no route to host", "no route to host"),
    ]
}

extension CozeAPIError {
    /// The plain-word messages a transport error can carry (connection refused, DNS lookup failed, …):
    /// a caller grouping failures by cause can tell them from a description kept as is.
    public static let connectionCauses: Set<String> = Set(HTTPExchange.connectionWords.map(\.words))
}
