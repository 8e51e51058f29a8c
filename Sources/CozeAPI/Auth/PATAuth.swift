import AsyncHTTPClient

/// A personal access token (or service access token): sent as is.
///
/// `description` is overridden so that printing the value, or interpolating it into a log
/// message, shows only the fingerprint.
public struct PATAuth: CozeAuth, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let token: String
    public let fingerprint: String

    public init(token: String) {
        let trimmed = token.trimmingWhitespace()
        self.token = trimmed
        self.fingerprint = Fingerprint.of(trimmed)
    }

    public func accessToken(using http: HTTPClient, baseURL: String) async throws -> String { token }

    public var description: String { "PATAuth(\(fingerprint))" }
    public var debugDescription: String { description }
    /// `dump()` and debuggers show the fingerprint only.
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }
}
