import CozeAPI
import Foundation
import GRDB
import Logging

/// `coze-audit doctor`: asks the API behind the configured base URL the questions the docs and
/// SDKs leave open (docs/evidence.md), with each configured credential, and stores the answers.
///
/// Read-only GETs, a fixed handful per credential (``DoctorProbes/maxRequests`` at most), one
/// credential after the other and within the configured `qps`. What it learns about paging
/// (the page parameter of `/v1/bots` and `/v1/apps`, page sizes the server refuses) goes into
/// `learned_behaviour`, where the next `run` picks it up.
public struct Doctor: Sendable {
    public var config: AuditConfig
    public var credentials: [ResolvedCredential]
    public var clientOptions: CozeClientOptions
    public var now: @Sendable () -> Date
    public var logger: Logger

    public init(config: AuditConfig, credentials: [ResolvedCredential], clientOptions: CozeClientOptions = .init(),
                now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "coze-audit.doctor")) {
        self.config = config
        self.credentials = credentials
        self.clientOptions = clientOptions
        self.now = now
        self.logger = logger
    }

    /// Probes every credential, stores the observations and the learned values, and returns them.
    public func run() async throws -> DoctorReport {
        let observedAt = Timestamp.format(now())
        let httpClient = CozeHTTPClient.make(connectionsPerHost: 2, baseURL: config.baseURL)
        var probed: [DoctorReport.CredentialProbe] = []
        var observations: [DoctorObservation] = []
        var pageParameters: [String: String] = [:]
        var pageSizeLimits: [String: Int] = [:]
        do {
            for credential in credentials {
                let log = ExchangeLog()
                var options = config.limits.apply(to: clientOptions, runStart: .now)
                // One retry at most: a probe is a question, and the answer to a flaky server is part of it.
                options.retry.maxAttempts = min(options.retry.maxAttempts, 2)
                options.maxThrottledAnswers = min(options.maxThrottledAnswers, 3)
                if let qps = config.qps, options.rateLimiter == nil {
                    options.rateLimiter = CozeRateLimiter(qps: qps * AuditRunner.qpsMargin)
                }
                options.exchangeObserver = { log.record($0) }
                let client = CozeClient(baseURL: config.baseURL, auth: credential.auth, httpClient: httpClient,
                                        options: options, logger: logger)
                let probes = DoctorProbes(name: credential.name, side: credential.config.side,
                                          auth: credential.config.auth.kind, client: client, seen: log)
                let outcome = try await probes.run()
                observations += outcome.observations
                pageParameters.merge(outcome.pageParameters) { first, _ in first }
                pageSizeLimits.merge(outcome.pageSizeLimits) { min($0, $1) }
                probed.append(.init(name: credential.name, side: credential.config.side.rawValue,
                                    auth: credential.config.auth.kind, fingerprint: credential.fingerprint, requests: log.count))
            }
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        observations += Self.learnedObservations(pageParameters: pageParameters, pageSizeLimits: pageSizeLimits)
        let report = DoctorReport(baseURL: config.baseURL, observedAt: observedAt, credentials: probed,
                                  observations: observations, learnedPageParameters: pageParameters,
                                  learnedPageSizeLimits: pageSizeLimits)
        try store(report)
        return report
    }

    /// The rows without a credential: what later runs will do differently.
    static func learnedObservations(pageParameters: [String: String], pageSizeLimits: [String: Int]) -> [DoctorObservation] {
        var rows: [DoctorObservation] = []
        for path in PageParameterMemory.alternatives.keys.sorted() {
            let value = pageParameters[path]
            rows.append(DoctorObservation(
                credential: nil, question: "learned_page_parameter \(path)", title: "\(path): page parameter",
                observed: value ?? "not settled", action: value.map { "runs page \(path) by \($0) from the start" }
                    ?? "runs keep what they learn while paging (page_num first)", answered: true))
        }
        for (path, size) in pageSizeLimits.sorted(by: { $0.key < $1.key }) {
            rows.append(DoctorObservation(
                credential: nil, question: "learned_page_size_max \(path)", title: "\(path): page size",
                observed: "at most \(size)", action: "runs ask for \(size) per page", answered: true))
        }
        return rows
    }

    /// Stores the observations and, in `learned_behaviour`, the values runs use.
    func store(_ report: DoctorReport) throws {
        let store = try AuditStore(path: config.databasePath)
        let fingerprints = Dictionary(uniqueKeysWithValues: report.credentials.map { ($0.name, $0.fingerprint) })
        let learned = LearnedBehaviour(pageParameters: report.learnedPageParameters, pageSizeLimits: report.learnedPageSizeLimits)
        try store.write { db in
            for observation in report.observations {
                try db.execute(sql: """
                    INSERT INTO doctor_observation (base_url, observed_at, credential, credential_fingerprint, question, observed, action, answered)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [report.baseURL, report.observedAt, observation.credential,
                                     observation.credential.flatMap { fingerprints[$0] }, observation.question,
                                     observation.observed, observation.action, observation.answered])
            }
            for (key, value) in learned.rows {
                try db.execute(sql: """
                    INSERT INTO learned_behaviour (base_url, key, value, source, run_id, observed_at) VALUES (?, ?, ?, 'doctor', NULL, ?)
                    ON CONFLICT DO UPDATE SET value = excluded.value, source = excluded.source, run_id = NULL,
                      observed_at = excluded.observed_at
                    """, arguments: [report.baseURL, key, value, report.observedAt])
            }
        }
    }
}
