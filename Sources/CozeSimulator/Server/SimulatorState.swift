import Foundation

/// Everything that changes while the simulator runs, kept behind one lock.
struct SimulatorState {
    var scenario: Scenario
    /// Lookups over `scenario`; nil after a change until the next request rebuilds it.
    var index: ScenarioIndex?
    var log: [SimulatedRequest] = []
    var logIDs = LogIDGenerator()
    var buckets: [String: TokenBucket] = [:]
    /// Requests seen per `token_expires_after` rule key, to know when the token "expires".
    var expiryCounters: [String: Int] = [:]
    /// Access tokens issued by the OAuth endpoints.
    var issuedTokens: [String: IssuedToken] = [:]
    var refreshTokens: [String: IssuedToken] = [:]
    var usedJTIs: Set<String> = []
    var deviceCodes: [String: DeviceCode] = [:]
    var held = HoldQueue()
    var tokenSerial: UInt64 = 0

    init(scenario: Scenario) {
        self.scenario = scenario
    }

    enum Authentication {
        case accepted(Principal)
        /// Unknown, missing, expired or revoked token; `name` when the token is known.
        case rejected(name: String?)
    }

    /// Resolves a bearer token against the scenario credentials and the issued tokens, reading
    /// visibility fields from the scenario as it is now (so `update` takes effect at once).
    /// `reject_all_tokens` rejects every token (named in the log when it is known).
    func authenticate(_ token: String?, now: Int64) -> Authentication {
        let resolved = resolve(token, now: now)
        if scenario.has(.rejectAllTokens), case .accepted(let principal) = resolved {
            return .rejected(name: principal.name)
        }
        return resolved
    }

    private func resolve(_ token: String?, now: Int64) -> Authentication {
        guard let token else { return .rejected(name: nil) }
        if let credential = scenario.credentials.first(where: { $0.token == token }) {
            let expired = credential.expiresAt.map { $0 <= now } ?? false
            guard credential.status == "active", !expired else { return .rejected(name: credential.name) }
            return .accepted(Principal(credential))
        }
        if let issued = issuedTokens[token] {
            guard issued.expiresAt > now, let principal = issued.principal(in: scenario) else {
                return .rejected(name: issued.appName)
            }
            return .accepted(principal)
        }
        return .rejected(name: nil)
    }

    /// The faults matching this request, each consumed once (`times` counts down; 0 removes it).
    mutating func takeFaults(endpoint: String, credential: String?, pageNum: Int?) -> [Scenario.Fault] {
        var matched: [Scenario.Fault] = []
        var kept: [Scenario.Fault] = []
        for fault in scenario.faults {
            let matches = (fault.endpoint == "*" || fault.endpoint == endpoint)
                && (fault.credential == nil || fault.credential == credential)
                && (fault.pageNum == nil || fault.pageNum == (pageNum ?? 1))
            guard matches else {
                kept.append(fault)
                continue
            }
            matched.append(fault)
            if let times = fault.times {
                if times > 1 { kept.append(withTimes(fault, times - 1)) }
            } else {
                kept.append(fault)
            }
        }
        scenario.faults = kept
        return matched
    }

    private func withTimes(_ fault: Scenario.Fault, _ times: Int) -> Scenario.Fault {
        var copy = fault
        copy.times = times
        return copy
    }

    /// True when the token's `token_expires_after` budget is used up with this request.
    mutating func expiredByCount(_ fault: Scenario.Fault, credential: String?) -> Bool {
        let key = "\(credential ?? "-")|\(fault.endpoint)|\(fault.after ?? 0)"
        let seen = (expiryCounters[key] ?? 0) + 1
        expiryCounters[key] = seen
        return seen > (fault.after ?? 0)
    }

    /// The index of the scenario as it is now, built on first use after a change.
    mutating func currentIndex() -> ScenarioIndex {
        if let index { return index }
        let built = ScenarioIndex(scenario)
        index = built
        return built
    }

    /// Token bucket per principal; nil qps = unlimited.
    mutating func admit(_ principal: Principal, now: Date) -> Bool {
        guard let qps = principal.qps, qps > 0 else { return true }
        let seconds = now.timeIntervalSince1970
        var bucket = buckets[principal.name] ?? TokenBucket(qps: qps, now: seconds)
        let admitted = bucket.take(qps: qps, now: seconds)
        buckets[principal.name] = bucket
        return admitted
    }

    mutating func nextTokenSerial() -> UInt64 {
        tokenSerial += 1
        return tokenSerial
    }
}
