import Foundation
import HTTPTypes
import Hummingbird

/// Converts between Hummingbird's request/response and the simulator's plain types.
enum HTTPBridge {
    /// Request bodies are small JSON documents (token endpoints); anything larger is refused.
    static let maxBodyBytes = 1 << 20

    static func incoming(_ request: Request) async throws -> IncomingRequest {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value)
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName.lowercased()] = field.value
        }
        if let authority = request.head.authority {
            headers["host"] = authority
        }
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        return IncomingRequest(
            method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
            body: Data(buffer.readableBytesView))
    }

    static func response(_ response: SimulatorResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let status = HTTPResponse.Status(code: response.status)
        guard let cut = response.cutAfter else {
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
        }
        let prefix = ByteBuffer(bytes: response.body.prefix(cut))
        let body = ResponseBody(contentLength: response.body.count) { writer in
            try await writer.write(prefix)
            throw ConnectionCut()
        }
        return Response(status: status, headers: fields, body: body)
    }

    /// Thrown from a body writer to drop the connection mid-body.
    struct ConnectionCut: Error {}
}
