import Foundation
import Logging

/// Answers one request: authentication, permission points, scripted faults, rate limit, the
/// endpoint itself, and the request log. Independent of Hummingbird so the flow reads top to bottom.
final class SimulatorEngine: Sendable {
    let state: Locked<SimulatorState>
    let clock: any SimulatorClock
    let logger: Logger

    init(scenario: Scenario, clock: any SimulatorClock, logger: Logger) {
        self.state = Locked(SimulatorState(scenario: scenario))
        self.clock = clock
        self.logger = logger
    }

    func handle(_ request: IncomingRequest) async -> SimulatorResponse {
        if let page = state.withLock({ QuirkEffects.gatewayPage(for: request, in: $0.scenario) }) {
            record(request, credential: nil, response: page, logID: "")
            return page
        }
        if request.path.hasPrefix(OAuthRoute.prefix) {
            return await handleOAuth(request)
        }
        let plan = prepare(request)
        var response: SimulatorResponse
        if let early = plan.early {
            response = early
        } else {
            response = await answer(request, plan: plan)
        }
        response = FaultEffects.applyBodyFaults(plan.faults, to: response)
        record(request, credential: plan.credentialName, response: response, logID: plan.logID)
        return response
    }

    /// What was decided under the lock before any waiting.
    struct Plan {
        var logID: String
        var scenario: Scenario
        var index: ScenarioIndex
        var credentialName: String?
        var principal: Principal?
        var faults: [Scenario.Fault]
        var early: SimulatorResponse?
    }

    private func prepare(_ request: IncomingRequest) -> Plan {
        let now = clock.now()
        return state.withLock { state in
            let logID = state.logIDs.next(at: now)
            let pageNum = Int(request.query["page_num"] ?? request.query["page_index"] ?? "")
            let scenario = state.scenario
            let errorsAs200 = scenario.errorsAsHTTP200
            var plan = Plan(logID: logID, scenario: scenario, index: state.currentIndex(), faults: [])
            switch state.authenticate(request.bearerToken, now: Int64(now.timeIntervalSince1970)) {
            case .rejected(let name):
                plan.credentialName = name
                plan.faults = state.takeFaults(endpoint: request.endpoint, credential: name, pageNum: pageNum)
                plan.early = .failure(.unauthenticated, logID: logID, errorsAsHTTP200: errorsAs200)
            case .accepted(let principal):
                plan.credentialName = principal.name
                plan.principal = principal
                plan.faults = state.takeFaults(endpoint: request.endpoint, credential: principal.name, pageNum: pageNum)
                if plan.faults.contains(where: { $0.kind == .tokenExpiresAfter && state.expiredByCount($0, credential: principal.name) }) {
                    plan.early = .failure(.unauthenticated, logID: logID, errorsAsHTTP200: errorsAs200)
                } else if let scripted = FaultEffects.scriptedAnswer(plan.faults, logID: logID) {
                    plan.early = scripted
                } else if !state.admit(principal, now: now) {
                    plan.early = .failure(.rateLimited, logID: logID, errorsAsHTTP200: errorsAs200)
                }
            }
            return plan
        }
    }

    /// The normal answer, after any `hold`, `slow` and fixed latency.
    private func answer(_ request: IncomingRequest, plan: Plan) async -> SimulatorResponse {
        await delay(for: plan.faults, latencyMS: plan.scenario.latencyMS, request: request, credential: plan.credentialName)
        do {
            var data = try endpointData(request, plan: plan)
            data = QuirkEffects.applyListingQuirks(data, in: plan.scenario)
            data = FaultEffects.applyDataFaults(plan.faults, to: data, query: QueryParameters(request.query))
            return .envelope(code: 0, msg: "", data: data, logID: plan.logID, status: 200)
        } catch {
            let failure = QuirkEffects.failure(error, in: plan.scenario)
            return .failure(failure, logID: plan.logID, errorsAsHTTP200: plan.scenario.errorsAsHTTP200)
        }
    }

    /// What the endpoint answers an authenticated caller that holds its permission point.
    private func endpointData(_ request: IncomingRequest, plan: Plan) throws(APIFailure) -> JSONValue {
        guard let principal = plan.principal else { throw .unauthenticated }
        guard let handler = OpenAPIEndpoints.table[request.endpoint] else {
            throw .notFound("no route for \(request.endpoint)")
        }
        if principal.deniedEndpoints.contains(request.endpoint) {
            throw .forbidden("no permission: the token lacks the permission point for \(request.endpoint)")
        }
        var query = request.query
        if let repeated = FaultEffects.repeatedPageQuery(plan.faults, query: query) {
            query = repeated
        }
        let context = EndpointContext(scenario: plan.scenario, principal: principal, query: QueryParameters(query), index: plan.index)
        return try handler(context)
    }

    /// True when the simulator serves `METHOD /path`: an OpenAPI endpoint, or an OAuth route (POST).
    static func routes(_ request: IncomingRequest) -> Bool {
        OpenAPIEndpoints.table[request.endpoint] != nil || (request.method == "POST" && OAuthRoute(path: request.path) != nil)
    }

    /// `hold` parks the request until released; `slow` and the scenario latency add a delay.
    func delay(for faults: [Scenario.Fault], latencyMS: Int, request: IncomingRequest, credential: String?) async {
        if faults.contains(where: { $0.kind == .hold }) {
            await park(request, credential: credential)
        }
        let delay = latencyMS + faults.filter { $0.kind == .slow }.reduce(0) { $0 + ($1.delayMS ?? 1000) }
        if delay > 0 {
            try? await Task.sleep(for: .milliseconds(delay))
        }
    }

    private func park(_ request: IncomingRequest, credential: String?) async {
        let held = HeldRequest(method: request.method, path: request.path, query: request.query, credential: credential)
        await withCheckedContinuation { continuation in
            state.withLock { $0.held.park(held, continuation) }
        }
    }

    func record(_ request: IncomingRequest, credential: String?, response: SimulatorResponse, logID: String) {
        let entry = SimulatedRequest(
            method: request.method, path: request.path, query: request.query, credential: credential,
            httpStatus: response.status, code: response.code, logID: logID)
        state.withLock { $0.log.append(entry) }
        logger.debug(
            "request",
            metadata: [
                "endpoint": "\(request.endpoint)", "credential": "\(credential ?? "-")",
                "http.status": "\(response.status)", "coze.code": "\(response.code)", "coze.logid": "\(logID)",
            ])
    }
}
