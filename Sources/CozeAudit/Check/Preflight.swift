import AsyncHTTPClient
import CozeAPI
import Foundation

/// `coze-audit check`: does every credential authenticate, whose is it, what does it see at the
/// top level, and when does its token expire. Writes nothing: safe before adding the job to cron.
public enum Preflight {
    public struct Result: Sendable {
        public var name: String
        public var side: String
        public var auth: String
        public var fingerprint: String
        public var ok: Bool
        public var userID: String?
        public var userName: String?
        public var workspaces: [String]
        public var tokenExpiry: Date?
        public var problem: String?
    }

    /// - Parameter environment: where the proxy variables are read (``connection(baseURL:environment:)`` says which applies).
    public static func run(config: AuditConfig, credentials: [ResolvedCredential], clientOptions: CozeClientOptions = .init(),
                           environment: [String: String] = ProcessInfo.processInfo.environment) async -> [Result] {
        let httpClient = CozeHTTPClient.make(connectionsPerHost: config.concurrency * max(1, credentials.count), baseURL: config.baseURL,
                                             environment: environment)
        let results = await withTaskGroup(of: (Int, Result).self) { group in
            for (index, credential) in credentials.enumerated() {
                group.addTask {
                    let client = CozeClient(baseURL: config.baseURL, auth: credential.auth, httpClient: httpClient, options: clientOptions)
                    return (index, await check(credential, client: client, baseURL: config.baseURL))
                }
            }
            var results: [(Int, Result)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        try? await httpClient.shutdown()
        return results
    }

    static func check(_ credential: ResolvedCredential, client: CozeClient, baseURL: String) async -> Result {
        var result = Result(name: credential.name, side: credential.config.side.rawValue, auth: credential.config.auth.kind,
                            fingerprint: credential.fingerprint, ok: false, workspaces: [])
        do {
            do {
                let user = try await client.currentUser()
                result.userID = user.userID
                result.userName = user.userName ?? user.nickName
            } catch let error as CozeAPIError where error.classification == .permissionDenied && !error.endpoint.hasPrefix("POST ") {
                // users/me denied: the listings may still work, as in a run.
                result.problem = "cannot read its profile: \(error.description)"
            }
            for try await page in client.workspaces() {
                result.workspaces += page.items.map { "\($0.name ?? "") (\($0.id))" }
            }
            result.ok = true
        } catch let error as CozeAPIError {
            switch error.classification {
            case .permissionDenied where !error.endpoint.hasPrefix("POST "):
                // A 4101 — on users/me or on the workspaces, whatever its message — is a denial, not a
                // rejected token (docs/evidence.md): the token authenticates.
                result.ok = true
                result.problem = "\(error.endpoint == "GET /v1/users/me" ? "cannot read its profile" : "cannot list workspaces"): \(error.description)"
            case .unanswered:
                result.problem = "base_url \(baseURL) does not answer like the Coze API (\(error.endpoint): HTTP \(error.httpStatus.map(String.init) ?? "?") without a Coze envelope); expected e.g. https://api.coze.cn"
            default:
                result.problem = error.description
            }
        } catch {
            result.problem = "\(error)"
        }
        result.tokenExpiry = await credential.auth.tokenExpiry
        return result
    }

    /// How `check` (and a run) reaches `base_url`: `connection: via proxy http://proxy.example:3128 (HTTPS_PROXY)`,
    /// `connection: direct (no proxy variable set)`, `connection: direct: NO_PROXY lists …`. A proxy's
    /// user name and password are never shown.
    public static func connection(baseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        "connection: " + CozeProxyEnvironment(environment).route(for: baseURL).text
    }

    public static func text(_ results: [Result], now: Date = Date()) -> String {
        var lines: [String] = []
        for r in results {
            var line = "\(r.ok ? "ok  " : "FAIL") \(r.name) (\(r.side), \(r.auth), \(r.fingerprint))"
            if let user = r.userID { line += " user \(user)\(r.userName.map { " \(TextSafe.clean($0, limit: 40))" } ?? "")" }
            if r.ok { line += ", \(r.workspaces.count) workspaces" }
            if let expiry = r.tokenExpiry {
                let minutes = Int(expiry.timeIntervalSince(now) / 60)
                line += ", token expires in \(minutes) min"
            }
            lines.append(line)
            if !r.workspaces.isEmpty { lines.append("       " + r.workspaces.prefix(10).map { TextSafe.clean($0, limit: 60) }.joined(separator: ", ") + (r.workspaces.count > 10 ? ", …" : "")) }
            if let problem = r.problem { lines.append("       \(TextSafe.clean(problem, limit: 300))") }
        }
        let failed = results.filter { !$0.ok }.count
        lines.append(failed == 0 ? "all \(results.count) credentials authenticate" : "\(failed) of \(results.count) credentials fail")
        return lines.joined(separator: "\n") + "\n"
    }
}
