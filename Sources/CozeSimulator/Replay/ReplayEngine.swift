import CozeRecording
import Crypto
import Foundation

/// `simulate --replay DIR`: answers from a recording (`run --record`) instead of a scenario, so
/// anyone can run the recorded tenant offline, without its secrets.
///
/// A request is matched by credential label, method, path and query (parameters in any order);
/// identical requests get their recorded answers in recorded order (a 429 then a 200 replays as
/// such). The label comes from the request's secret: the generated token of a PAT or OAuth
/// credential, the token this engine hands a JWT app, the app's client id in its assertion (its
/// signature checked when the key is known), or the refresh token of a refresh. Token answers get
/// the label's generated tokens, and their absolute `expires_in` keeps its distance from the
/// answer's time. Anything the recording cannot answer gets HTTP 599 without an envelope, naming
/// what was asked: a failure, never a finding.
public final class ReplayEngine: Sendable {
    /// One recorded credential with the secrets the replay accepts for it.
    public struct Credential: Sendable, Equatable {
        public var label: String
        public var side: String
        /// `pat`, `jwt` or `oauth`.
        public var auth: String
        /// The bearer the replay accepts on API requests: the PAT, the OAuth access token, or the
        /// token it issues to the JWT app.
        public var token: String
        /// JWT apps: the client id its assertions carry (`iss`) and the key id.
        public var clientID: String?
        public var keyID: String?
        /// JWT apps: the public key that verifies its assertions, when this process generated it.
        public var publicKeyPEM: String?
        /// JWT apps: the token path it asked on (`/api/permission/oauth2/enterprise_id/<id>/token`).
        public var tokenPath: String?
        /// OAuth users: the refresh token of their token file.
        public var refreshToken: String?
        /// OAuth users: the recorded run refreshed the token, so the replayed one must too (its
        /// token file is written expired).
        public var refreshRecorded = false
    }

    /// HTTP status of an unmatched request: outside the codes a real server sends, so it is
    /// never mistaken for one of them.
    public static let unmatchedStatus = 599

    public let manifest: Recording.Manifest
    public let credentials: [Credential]
    private let queues: Locked<[String: ArraySlice<Recording.Exchange>]>
    private let misses = Locked<[String]>([])
    private let now: @Sendable () -> Date

    public init(manifest: Recording.Manifest, exchanges: [Recording.Exchange], credentials: [Credential],
                now: @escaping @Sendable () -> Date = Date.init) {
        self.manifest = manifest
        self.credentials = credentials
        self.now = now
        var queues: [String: [Recording.Exchange]] = [:]
        for exchange in exchanges.sorted(by: { $0.seq < $1.seq }) {
            queues[Self.key(exchange.credential, exchange.method, exchange.path, Self.normalized(exchange.query)), default: []]
                .append(exchange)
        }
        self.queues = Locked(queues.mapValues { ArraySlice($0) })
    }

    /// Every request no recorded answer was left for, as `label METHOD path?query`.
    public func unmatchedRequests() -> [String] { misses.withLock { $0 } }

    /// The credentials of a recording with secrets derived from the recording itself (its time
    /// and each label), so a configuration written once keeps working with a restarted replay.
    /// JWT apps get the token path they asked on in the recording; no key (``generateKeys``).
    public static func credentials(for manifest: Recording.Manifest, exchanges: [Recording.Exchange]) -> [Credential] {
        manifest.credentials.map { credential in
            func secret(_ prefix: String) -> String {
                let digest = SHA256.hash(data: Array("\(manifest.recordedAt) \(credential.label) \(prefix)".utf8))
                return prefix + digest.map { String(format: "%02x", $0) }.joined().prefix(32)
            }
            var replay = Credential(label: credential.label, side: credential.side, auth: credential.auth, token: "")
            switch credential.auth {
            case "jwt":
                replay.token = secret("czs_replay_")
                let digits = SHA256.hash(data: Array("client \(credential.label) \(manifest.recordedAt)".utf8))
                    .map { String($0 % 10) }.joined()
                replay.clientID = "1" + digits.prefix(18)
                replay.keyID = "replay-key-" + credential.label
                replay.tokenPath = exchanges.first { $0.credential == credential.label && $0.method == "POST" && $0.path.hasSuffix("/token") }?.path
            case "oauth":
                replay.token = secret("czu_replay_")
                replay.refreshToken = secret("czr_replay_")
                replay.refreshRecorded = exchanges.contains { $0.credential == credential.label && $0.method == "POST" && $0.path.hasSuffix("/token") }
            default:
                replay.token = secret("pat_replay_")
            }
            return replay
        }
    }

    /// A fresh RS256 key pair per JWT app (PKCS#8 PEM), set on `credentials` as public keys.
    public static func generateKeys(for credentials: inout [Credential]) throws -> [String: String] {
        var privateKeys: [String: String] = [:]
        for index in credentials.indices where credentials[index].auth == "jwt" {
            let (privatePEM, publicPEM) = try ReplayKeys.generate()
            credentials[index].publicKeyPEM = publicPEM
            privateKeys[credentials[index].label] = privatePEM
        }
        return privateKeys
    }

    static func key(_ label: String?, _ method: String, _ path: String, _ query: String) -> String {
        "\(label ?? "-") \(method) \(path)?\(query)"
    }

    /// `a=1&b=2` with parameters sorted and values decoded, so order and encoding do not matter.
    static func normalized(_ query: String) -> String {
        query.split(separator: "&").map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            return parts[0] + "=" + (parts.count > 1 ? parts[1] : "")
        }.sorted().joined(separator: "&")
    }

    static func normalized(_ query: [String: String]) -> String {
        query.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "&")
    }

    func handle(_ request: IncomingRequest) async -> SimulatorResponse {
        let label = await self.label(of: request)
        let key = Self.key(label?.label, request.method, request.path, Self.normalized(request.query))
        let exchange = queues.withLock { queues -> Recording.Exchange? in
            guard let next = queues[key]?.first else { return nil }
            queues[key] = queues[key]?.dropFirst()
            return next
        }
        guard let exchange else {
            let asked = "\(label?.label ?? "an unknown credential") \(request.method) \(request.path)"
                + (request.query.isEmpty ? "" : "?" + Self.normalized(request.query))
            misses.withLock { $0.append(asked) }
            return SimulatorResponse(
                status: Self.unmatchedStatus, headers: [("Content-Type", "text/plain; charset=utf-8")],
                body: Array("coze-audit replay: the recording has no answer (left) for \(asked)\n".utf8), code: -1)
        }
        var headers = exchange.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        guard let json = exchange.body else {
            return SimulatorResponse(status: exchange.status, headers: headers, body: Array((exchange.bodyText ?? "").utf8), code: -1)
        }
        if !headers.contains(where: { $0.0 == "content-type" }) { headers.append(("content-type", "application/json; charset=utf-8")) }
        let body = request.path.hasPrefix(OAuthRoute.prefix) ? tokenAnswer(json, for: label, recordedAt: exchange.at) : json
        let code = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["code"] as? Int ?? 0
        return SimulatorResponse(status: exchange.status, headers: headers, body: Array(body.utf8), code: code)
    }

    /// Who sent the request: by its bearer (API requests, JWT assertions) or refresh token.
    private func label(of request: IncomingRequest) async -> Credential? {
        if let bearer = request.bearerToken {
            if let credential = credentials.first(where: { $0.token == bearer }) { return credential }
            if bearer.split(separator: ".").count == 3 { return await jwtApp(bearer, host: request.host) }
        }
        if let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
           let refresh = body["refresh_token"] as? String {
            return credentials.first { $0.refreshToken == refresh }
        }
        return nil
    }

    /// The JWT app whose client id the assertion carries; verified like the token endpoint does
    /// when the replay generated the app's key.
    private func jwtApp(_ assertion: String, host: String?) async -> Credential? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = JWTAppVerifier.decodeSegment(parts[1]),
              let claims = try? JSONDecoder().decode(AppJWTClaims.self, from: payload),
              let app = credentials.first(where: { $0.auth == "jwt" && $0.clientID == claims.iss }) else { return nil }
        guard let publicKeyPEM = app.publicKeyPEM, let clientID = app.clientID, let keyID = app.keyID else { return app }
        let registered = Scenario.JWTApp(name: app.label, clientID: clientID, keyID: keyID, publicKeyPEM: publicKeyPEM)
        let verifier = JWTAppVerifier(apps: [registered], now: Int64(now().timeIntervalSince1970), host: host)
        return (try? await verifier.verify(assertion)) == nil ? nil : app
    }

    /// A recorded token answer with the label's generated tokens, and an absolute `expires_in`
    /// moved by the time since it was recorded (a relative one is left alone).
    private func tokenAnswer(_ json: String, for credential: Credential?, recordedAt: Int64) -> String {
        guard let credential, var object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        func rewrite(_ fields: inout [String: Any]) {
            if fields["access_token"] != nil { fields["access_token"] = credential.token }
            if fields["refresh_token"] != nil { fields["refresh_token"] = credential.refreshToken ?? credential.token }
            if let expires = (fields["expires_in"] as? NSNumber)?.int64Value, expires > 1_000_000_000 {
                fields["expires_in"] = Int64(now().timeIntervalSince1970) + (expires - recordedAt)
            }
        }
        rewrite(&object)
        if var data = object["data"] as? [String: Any] {
            rewrite(&data)
            object["data"] = data
        }
        guard let out = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return json }
        return String(decoding: out, as: UTF8.self)
    }
}
