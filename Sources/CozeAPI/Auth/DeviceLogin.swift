import AsyncHTTPClient
import Foundation

/// The OAuth device flow behind `coze-audit login` (docs/openapi.md §8.4): show the user a code,
/// poll the token endpoint until they approve.
public struct DeviceLogin: Sendable {
    /// What the user must do, and what polling needs.
    public struct Authorization: Sendable, Hashable {
        public var deviceCode: String
        public var userCode: String
        public var verificationURI: String
        /// Seconds the code stays valid (default 300).
        public var expiresIn: Int
        /// Seconds between polls (default 5).
        public var interval: Int
        /// The page to open, with the code filled in, as the SDKs show it.
        public var verificationURL: String { verificationURI + "?user_code=" + userCode }
    }

    public let baseURL: String
    public let clientID: String
    public let workspaceID: String?
    public let httpClient: HTTPClient
    public let sleeper: any CozeSleeper
    public let now: @Sendable () -> Date

    public init(
        baseURL: String, clientID: String, workspaceID: String? = nil, httpClient: HTTPClient,
        sleeper: any CozeSleeper = TaskSleeper(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.baseURL = baseURL
        self.clientID = clientID
        self.workspaceID = workspaceID
        self.httpClient = httpClient
        self.sleeper = sleeper
        self.now = now
    }

    /// `POST /api/permission/oauth2/device/code` (or the workspace-bound variant) with `{client_id}`.
    public func start() async throws -> Authorization {
        let path = workspaceID.map { "/api/permission/oauth2/workspace_id/\(OAuthTokenEndpoint.segment($0))/device/code" }
            ?? "/api/permission/oauth2/device/code"
        let json = try await OAuthTokenEndpoint(baseURL: baseURL)
            .post(path, body: .object([("client_id", .string(clientID))]), bearer: nil, using: httpClient)
        guard let deviceCode = json["device_code"]?.stringValue, let userCode = json["user_code"]?.stringValue,
            let uri = json["verification_uri"]?.stringValue
        else {
            throw CozeAPIError(kind: .malformedBody, endpoint: "POST \(path)", httpStatus: 200, message: "device code answer lacks device_code, user_code or verification_uri")
        }
        return Authorization(
            deviceCode: deviceCode, userCode: userCode, verificationURI: uri,
            expiresIn: json["expires_in"]?.intValue ?? 300, interval: max(1, json["interval"]?.intValue ?? 5))
    }

    /// Polls until the user approves (returns the token), denies (`access_denied`) or the code
    /// expires (`expired_token`); `slow_down` adds 5 s to the interval, up to 30 s.
    /// Errors are ``CozeAPIError`` of kind `.auth` with the OAuth code in `authErrorCode`.
    public func waitForToken(_ authorization: Authorization) async throws -> OAuthToken {
        let path = "/api/permission/oauth2/token"
        let body = JSONValue.object([
            ("client_id", .string(clientID)),
            ("grant_type", .string("urn:ietf:params:oauth:grant-type:device_code")),
            ("device_code", .string(authorization.deviceCode)),
        ])
        let endpoint = OAuthTokenEndpoint(baseURL: baseURL)
        let expiry = now().addingTimeInterval(TimeInterval(authorization.expiresIn))
        var interval = authorization.interval
        while true {
            do {
                return try await endpoint.token(path, body: body, bearer: nil, using: httpClient, now: now())
            } catch let error as CozeAPIError where error.kind == .auth {
                switch error.authErrorCode {
                case "authorization_pending": break
                case "slow_down": interval = min(interval + 5, 30)
                default: throw error
                }
            }
            guard now() < expiry else {
                throw CozeAPIError(kind: .auth, endpoint: "POST \(path)", message: "the device code expired before it was approved", authErrorCode: "expired_token")
            }
            try await sleeper.sleep(for: .seconds(interval))
        }
    }
}
