/// OAuth device-code flow (docs/openapi.md §8.4) and refresh. Approval happens out of band: a
/// test (or `coze-audit login` against the simulator) calls `approveDeviceCode(userCode:)`.
extension SimulatorEngine {
    static let verificationURI = "https://www.coze.cn/api/permission/oauth2/device/verify"

    func startDeviceCode(_ context: OAuthContext, workspaceID: String?) throws(OAuthFailure) -> JSONValue {
        let clientID = context.body["client_id"]?.text ?? ""
        guard let app = context.scenario.oauthApps.first(where: { $0.clientID == clientID }) else {
            throw .invalidClient("unknown client_id \(clientID)")
        }
        context.credential.value = app.name
        let (deviceCode, userCode) = state.withLock { state in
            let serial = state.nextTokenSerial()
            let deviceCode = "dc_" + TokenText.random(count: 40)
            let userCode = Self.userCode(serial: serial)
            state.deviceCodes[deviceCode] = DeviceCode(
                appName: app.name, clientID: clientID, userCode: userCode,
                expiresAt: context.now + app.deviceCodeTTLSeconds, workspaceID: workspaceID)
            return (deviceCode, userCode)
        }
        return .object([
            ("device_code", .string(deviceCode)),
            ("user_code", .string(userCode)),
            ("verification_uri", .string(Self.verificationURI)),
            ("expires_in", .int(app.deviceCodeTTLSeconds)),
            ("interval", 5),
        ])
    }

    /// `WDJB-MJHT`-shaped, unique per simulator.
    static func userCode(serial: UInt64) -> String {
        let letters = Array("BCDFGHJKLMNPQRSTVWXZ")
        var value = serial &* 2_654_435_761 &+ 97_531
        var text = ""
        for index in 0..<8 {
            if index == 4 { text += "-" }
            text.append(letters[Int(value % 20)])
            value /= 20
        }
        return text
    }

    func pollDeviceCode(_ context: OAuthContext) throws(OAuthFailure) -> JSONValue {
        let code = context.body["device_code"]?.text ?? ""
        let outcome: Result<IssuedPair, OAuthFailure> = state.withLock { state in
            guard var entry = state.deviceCodes[code] else {
                return .failure(.invalidRequest("unknown device_code"))
            }
            context.credential.value = entry.appName
            guard let app = state.scenario.oauthApps.first(where: { $0.name == entry.appName }) else {
                return .failure(.invalidClient("the app was removed"))
            }
            entry.polls += 1
            state.deviceCodes[code] = entry
            if entry.status == .consumed { return .failure(.invalidRequest("device_code already used")) }
            if context.now >= entry.expiresAt { return .failure(.device("expired_token", "the device code has expired")) }
            if entry.polls <= app.slowDownPolls { return .failure(.device("slow_down", "polling too fast")) }
            switch entry.status {
            case .pending: return .failure(.device("authorization_pending", "the user has not approved yet"))
            case .denied: return .failure(.device("access_denied", "the user denied the request"))
            case .approved, .consumed:
                state.deviceCodes[code]?.status = .consumed
                return .success(state.issueUserTokens(app: app, now: context.now, workspaceID: entry.workspaceID))
            }
        }
        return try outcome.get().json
    }

    func refresh(_ context: OAuthContext) throws(OAuthFailure) -> JSONValue {
        let refreshToken = context.body["refresh_token"]?.text ?? ""
        if context.scenario.has(.rejectAllTokens) {
            throw .invalidGrant("the refresh_token is not valid on this site")
        }
        let outcome: Result<IssuedPair, OAuthFailure> = state.withLock { state in
            guard let old = state.refreshTokens.removeValue(forKey: refreshToken) else {
                return .failure(.invalidRequest("invalid refresh_token"))
            }
            context.credential.value = old.appName
            guard old.expiresAt > context.now else { return .failure(.invalidRequest("refresh_token expired")) }
            guard let app = state.scenario.oauthApps.first(where: { $0.name == old.appName }) else {
                return .failure(.invalidClient("the app was removed"))
            }
            return .success(state.issueUserTokens(app: app, now: context.now, workspaceID: old.workspaceID))
        }
        return try outcome.get().json
    }
}

/// An access token plus its refresh token, as the device and refresh grants return them.
struct IssuedPair {
    var accessToken: String
    var refreshToken: String
    var expiresAt: Int64

    var json: JSONValue {
        .object([
            ("access_token", .string(accessToken)),
            ("expires_in", .int(expiresAt)),
            ("refresh_token", .string(refreshToken)),
            ("token_type", "Bearer"),
        ])
    }
}

extension SimulatorState {
    /// Refresh tokens live 30 days, as documented.
    static let refreshLifetime: Int64 = 30 * 24 * 3600

    mutating func issueUserTokens(app: Scenario.OAuthApp, now: Int64, workspaceID: String?) -> IssuedPair {
        let access = "czu_" + TokenText.random(count: 48)
        let refresh = "czr_" + TokenText.random(count: 48)
        let expiresAt = now + app.tokenTTLSeconds
        issuedTokens[access] = IssuedToken(
            appName: app.name, source: .oauthApp, accountID: app.accountID, expiresAt: expiresAt, workspaceID: workspaceID)
        refreshTokens[refresh] = IssuedToken(
            appName: app.name, source: .oauthApp, accountID: app.accountID, expiresAt: now + Self.refreshLifetime,
            workspaceID: workspaceID)
        return IssuedPair(accessToken: access, refreshToken: refresh, expiresAt: expiresAt)
    }
}
