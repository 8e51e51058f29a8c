import AsyncHTTPClient
import Foundation
import Logging

/// A read-only Coze OpenAPI client for one credential.
///
/// A value type holding only immutable configuration, so it is freely shared across the crawler's
/// child tasks; shared mutable state (rate limit, token cache) lives in actors it references.
/// The `HTTPClient` is owned by the caller, who shuts it down (scoped lifetime: whoever creates it ends it).
public struct CozeClient: Sendable {
    /// The base URL without a trailing slash, e.g. `https://api.coze.cn`.
    public let baseURL: String
    public let auth: any CozeAuth
    public let httpClient: HTTPClient
    public let options: CozeClientOptions
    public let logger: Logger

    public init(
        baseURL: String,
        auth: any CozeAuth,
        httpClient: HTTPClient,
        options: CozeClientOptions = .init(),
        logger: Logger = Logger(label: "coze-audit.api")
    ) {
        var base = baseURL.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.auth = auth
        self.httpClient = httpClient
        self.options = options
        var logger = logger
        logger[metadataKey: "credential"] = "\(auth.fingerprint)"
        self.logger = logger
    }

    /// A copy with other options (e.g. a run deadline or an observer added by the crawler).
    public func with(options: CozeClientOptions) -> CozeClient {
        CozeClient(baseURL: baseURL, auth: auth, httpClient: httpClient, options: options, logger: logger)
    }

    /// `GET /v1/users/me`: who the token acts as; the cheapest liveness check.
    public func currentUser() async throws -> CozeUser {
        let response = try await get("/v1/users/me")
        return try decode(CozeUser.self, from: response.data, endpoint: "GET /v1/users/me", logID: response.logID)
    }

    /// `GET /v1/conversation/retrieve`: one conversation by id (a 4200 means it was deleted).
    public func conversation(id: String) async throws -> CozeConversation {
        let endpoint = "GET /v1/conversation/retrieve"
        let response = try await get("/v1/conversation/retrieve", query: [("conversation_id", id)])
        return try decode(CozeConversation.self, from: response.data, endpoint: endpoint, logID: response.logID)
    }

    func decode<T: CozeDecodable>(_ type: T.Type, from data: JSONValue, endpoint: String, logID: String?) throws -> T {
        do {
            return try T(json: data)
        } catch {
            throw CozeAPIError(kind: .malformedBody, endpoint: endpoint, httpStatus: 200, message: "\(error)", logID: logID)
        }
    }
}
