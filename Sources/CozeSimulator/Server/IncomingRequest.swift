import Foundation

/// The parts of an HTTP request the simulator looks at, detached from Hummingbird so handlers
/// are plain functions.
struct IncomingRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    /// Lower-cased header names.
    var headers: [String: String]
    var body: Data

    var endpoint: String { "\(method) \(path)" }

    /// The token after `Bearer ` in `Authorization`, nil when absent or empty.
    var bearerToken: String? {
        guard let value = headers["authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The `Host` header (`127.0.0.1:PORT`), which cozepy puts in the JWT `aud`.
    var host: String? { headers["host"] }
}
