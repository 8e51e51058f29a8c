import Foundation

/// An access token from the OAuth token endpoint (JWT app, refresh, or device flow).
public struct OAuthToken: Sendable, Hashable, CustomStringConvertible {
    public var accessToken: String
    public var tokenType: String?
    /// Absolute expiry: Coze's `expires_in` is a unix time, not a lifetime (docs/openapi.md §8.1).
    public var expiresAt: Date
    public var refreshToken: String?

    public init(accessToken: String, tokenType: String? = nil, expiresAt: Date, refreshToken: String? = nil) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.refreshToken = refreshToken
    }

    /// Never shows the tokens.
    public var description: String { "OAuthToken(expiresAt: \(Int64(expiresAt.timeIntervalSince1970)))" }

    /// The token file / response shape: `{access_token, token_type, expires_in, refresh_token}`.
    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("access_token", .string(accessToken))]
        if let tokenType { members.append(("token_type", .string(tokenType))) }
        members.append(("expires_in", .number(String(Int64(expiresAt.timeIntervalSince1970)))))
        if let refreshToken { members.append(("refresh_token", .string(refreshToken))) }
        return .object(members)
    }

    /// Reads a token object; `expires_in` below 10^9 is taken as a lifetime from `now`, since a
    /// unix time that small would be in 2001 (defensive; the docs say absolute).
    init?(json: JSONValue, now: Date) {
        guard let access = json["access_token"]?.stringValue, !access.isEmpty else { return nil }
        accessToken = access
        tokenType = json["token_type"]?.stringValue
        let expires = json["expires_in"]?.int64Value ?? 0
        expiresAt = expires >= 1_000_000_000
            ? Date(timeIntervalSince1970: TimeInterval(expires))
            : now.addingTimeInterval(TimeInterval(expires))
        refreshToken = json["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }
}
