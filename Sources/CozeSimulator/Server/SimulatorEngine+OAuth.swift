import Foundation

/// The OAuth endpoints under `/api/permission/oauth2/`: JWT app tokens (three path variants),
/// the device-code flow and refresh. No Coze envelope here (docs/openapi.md §8).
extension SimulatorEngine {
    static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let deviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"
    static let refreshGrant = "refresh_token"

    /// Which account a JWT token request asks for, from its path.
    enum TokenTarget: Equatable {
        case own
        case account(String)
        case enterprise(String)
    }

    func handleOAuth(_ request: IncomingRequest) async -> SimulatorResponse {
        let now = clock.now()
        // Faults here can only match on endpoint: the app is known after the JWT is read.
        let (logID, scenario, faults) = state.withLock { state in
            (state.logIDs.next(at: now), state.scenario,
             state.takeFaults(endpoint: request.endpoint, credential: nil, pageNum: nil))
        }
        let context = OAuthContext(request: request, scenario: scenario, now: Int64(now.timeIntervalSince1970))
        var response: SimulatorResponse
        if let scripted = FaultEffects.scriptedAnswer(faults, logID: logID) {
            response = scripted
        } else {
            await delay(for: faults, latencyMS: 0, request: request, credential: nil)
            do {
                response = .oauth(try await routeOAuth(context), logID: logID)
            } catch {
                response = error.response(logID: logID)
            }
        }
        response = FaultEffects.applyBodyFaults(faults, to: response)
        record(request, credential: context.credential.value, response: response, logID: logID)
        return response
    }

    private func routeOAuth(_ context: OAuthContext) async throws(OAuthFailure) -> JSONValue {
        guard context.request.method == "POST" else { throw .invalidRequest("use POST") }
        switch OAuthRoute(path: context.request.path) {
        case .token:
            let grantType = context.body["grant_type"]?.text ?? ""
            switch grantType {
            case Self.jwtBearerGrant: return try await issueJWTToken(context, target: .own)
            case Self.deviceCodeGrant: return try pollDeviceCode(context)
            case Self.refreshGrant: return try refresh(context)
            default: throw .unsupportedGrantType(grantType)
            }
        case .jwtToken(let target):
            return try await issueJWTToken(context, target: target)
        case .deviceCode(let workspaceID):
            return try startDeviceCode(context, workspaceID: workspaceID)
        case nil:
            throw OAuthFailure(errorCode: "invalid_request", message: "no route for \(context.request.endpoint)", httpStatus: 404)
        }
    }

    private func issueJWTToken(_ context: OAuthContext, target: TokenTarget) async throws(OAuthFailure) -> JSONValue {
        let grantType = context.body["grant_type"]?.text ?? ""
        guard grantType == Self.jwtBearerGrant else { throw .unsupportedGrantType(grantType) }
        if context.scenario.has(.rejectAllTokens) {
            throw .invalidClient("invalid client: the app is not known on this site")
        }
        let verifier = JWTAppVerifier(apps: context.scenario.jwtApps, now: context.now, host: context.request.host)
        let (app, claims) = try await verifier.verify(context.request.bearerToken)
        context.credential.value = app.name
        let fresh = state.withLock { $0.usedJTIs.insert(claims.jti ?? "").inserted }
        guard fresh else { throw .invalidClient("the JWT was already used (jti must be unique)") }
        let duration = Int64(context.body["duration_seconds"]?.text ?? "900") ?? -1
        guard (1...86399).contains(duration) else { throw .invalidRequest("duration_seconds must be between 1 and 86399") }
        let accountID = try account(for: app, target: target, in: context.scenario)
        let expiresAt = context.now + (app.tokenTTLSeconds ?? duration)
        let token = state.withLock { state in
            let token = "czs_" + TokenText.random(count: 48)
            state.issuedTokens[token] = IssuedToken(appName: app.name, source: .jwtApp, accountID: accountID, expiresAt: expiresAt)
            return token
        }
        return .object([("access_token", .string(token)), ("expires_in", .int(expiresAt)), ("token_type", "Bearer")])
    }

    /// The account a token acts for; `access_deny` when the app was not authorized for it.
    /// `jwt_enterprise_path_refused` moves the enterprise from `/enterprise_id/{id}/token` to
    /// `/account/{id}/token`.
    private func account(for app: Scenario.JWTApp, target: TokenTarget, in scenario: Scenario) throws(OAuthFailure) -> String {
        guard app.authorized else {
            throw .accessDeny("the app \(app.clientID) is not authorized; an admin must install and authorize it")
        }
        switch target {
        case .own:
            guard let id = app.accountID ?? app.enterpriseID else { throw .accessDeny("the app has no account") }
            return id
        case .account(let id):
            let enterpriseAsAccount = scenario.has(.jwtEnterprisePathRefused) && id == app.enterpriseID
            guard id == app.accountID || app.authorizedAccountIDs.contains(id) || enterpriseAsAccount else {
                throw .accessDeny("account \(id) has not authorized the app \(app.clientID)")
            }
            return id
        case .enterprise(let id):
            guard id == app.enterpriseID, !scenario.has(.jwtEnterprisePathRefused) else {
                throw .accessDeny("enterprise \(id) has not authorized the app \(app.clientID)")
            }
            return id
        }
    }
}

/// The OAuth routes under `/api/permission/oauth2/`, from the path alone (all are POST).
enum OAuthRoute: Equatable {
    /// `/token`: JWT (the app's own account), device-code poll or refresh, by `grant_type`.
    case token
    /// `/account/{id}/token`, `/enterprise_id/{id}/token`.
    case jwtToken(SimulatorEngine.TokenTarget)
    /// `/device/code`, `/workspace_id/{id}/device/code`.
    case deviceCode(workspaceID: String?)

    static let prefix = "/api/permission/oauth2/"

    init?(path: String) {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let parts = path.split(separator: "/").dropFirst(3).map(String.init)
        switch parts.count {
        case 1 where parts[0] == "token": self = .token
        case 3 where parts[0] == "account" && parts[2] == "token": self = .jwtToken(.account(parts[1]))
        case 3 where parts[0] == "enterprise_id" && parts[2] == "token": self = .jwtToken(.enterprise(parts[1]))
        case 2 where parts == ["device", "code"]: self = .deviceCode(workspaceID: nil)
        case 4 where parts[0] == "workspace_id" && parts[2...] == ["device", "code"]: self = .deviceCode(workspaceID: parts[1])
        default: return nil
        }
    }
}

/// One token-endpoint request: its parsed JSON body and, once known, the app's name for the log.
struct OAuthContext {
    let request: IncomingRequest
    let scenario: Scenario
    let now: Int64
    let body: JSONValue
    let credential = Box<String?>(nil)

    init(request: IncomingRequest, scenario: Scenario, now: Int64) {
        self.request = request
        self.scenario = scenario
        self.now = now
        self.body = request.body.isEmpty ? .object([]) : (JSONValue.parse(request.body) ?? .object([]))
    }

    /// Mutable slot a handler fills in without threading `inout` through async calls.
    final class Box<Value> {
        var value: Value
        init(_ value: Value) { self.value = value }
    }
}

/// Random token text (letters and digits).
enum TokenText {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func random(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
