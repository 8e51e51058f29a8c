import CozeAPI
import CozeAudit
import CozeSimulator
import Foundation
import Logging

/// What one audit run cost, measured in this process the way `coze-audit run` does it: open the
/// store, crawl, compute the findings, build the text summary.
public struct AuditMeasurement: Sendable {
    public var configuration: AuditConfiguration
    public var status: String
    public var requestsByCredential: [String: Int]
    public var requests: Int { requestsByCredential.values.reduce(0, +) }
    /// Answers HTTP 429 or a rate-limit code (4013 …), retried or not.
    public var rateLimitedAnswers: Int { rateLimitedByCredential.values.reduce(0, +) }
    public var rateLimitedByCredential: [String: Int]
    /// Per credential and endpoint, the listings recorded as denied: answered by the API (`asked`),
    /// or recorded without a request once the missing permission point was established (`notAsked`).
    public var deniedListings: [String: [String: (asked: Int, notAsked: Int)]]
    public var crawl: Duration
    public var findings: Duration
    /// Building and rendering the text summary `run` prints.
    public var summary: Duration
    /// Everything: open and migrate the store, crawl, findings, summary.
    public var wall: Duration
    public var sightings: Int
    public var distinctResources: Int
    public var findingCount: Int
    public var peakRSS: Int
    public var peakRSSIsPhaseOnly: Bool
    public var databaseBytes: Int
    public var summaryBytes: Int
    public var databasePath: String

    public var resourcesPerSecond: Double { Double(sightings) / max(crawl.seconds, 1e-9) }

    /// Runs one audit of the simulator at `baseURL` with the tenant's credentials: its PATs (and
    /// service tokens), its JWT apps (the simulator's demo key) and its OAuth users (type `oauth`:
    /// a token file as a device login writes it, valid for a day).
    static func measure(_ configuration: AuditConfiguration, baseURL: String, tenant: Scenario,
                        directory: String) async throws -> AuditMeasurement {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func side(_ accountID: String?) -> Side {
            tenant.accounts.first { $0.id == accountID }?.isEnterprise == true ? .enterprise : .personal
        }
        let users = tenant.credentials.filter { $0.type == "oauth" }
        let configPath = try ExampleConfig.writeRunnable(
            directory: directory, baseURL: baseURL,
            pats: tenant.credentials.filter { $0.type != "oauth" }.map { .init(name: $0.name, side: side($0.accountID), token: $0.token) },
            jwtApps: tenant.jwtApps.map { app in
                .init(name: app.name, side: side(app.enterpriseID ?? app.accountID), clientID: app.clientID, keyID: app.keyID,
                      privateKeyPEM: DemoAppKey.privateKeyPEM, accountID: app.enterpriseID == nil ? app.accountID : nil,
                      enterpriseID: app.enterpriseID)
            },
            oauth: users.map { .init(name: $0.name, side: side($0.accountID), clientID: "1180000000000000001") })
        for user in users {
            try OAuthTokenFile.write(OAuthToken(accessToken: user.token, tokenType: "Bearer", expiresAt: Date().addingTimeInterval(86_400)),
                                     to: directory + "/secrets/\(user.name).json")
        }
        var config = try ConfigLoader.load(path: configPath)
        config.concurrency = configuration.concurrency
        config.qps = configuration.qps
        if let attempts = configuration.retryAttempts { config.limits.retryAttempts = attempts }
        config.retention = configuration.retention
        let resolved = try CredentialResolver(warn: { _ in }).resolve(config, configFile: configPath)
        let names = Dictionary(resolved.map { ($0.fingerprint, $0.name) }, uniquingKeysWith: { first, _ in first })
        let rateLimited = Tally()
        var options = CozeClientOptions()
        options.observer = { event in
            let error: CozeAPIError?
            switch event.outcome {
            case .success: error = nil
            case .willRetry(let failure, _), .failure(let failure): error = failure
            }
            if event.httpStatus == 429 || error?.classification == .rateLimited {
                rateLimited.add(names[event.credentialFingerprint] ?? event.credentialFingerprint)
            }
        }
        var runner = AuditRunner(config: config, credentials: resolved, clientOptions: options)
        runner.tuning = configuration.tuning
        // The control's throttled listings are expected: their warnings would only drown the figures.
        if configuration.retryAttempts == 1 { runner.logger.logLevel = .error }

        let phaseOnly = MemoryProbe.reset()
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await runner.run()
        let summaryStarted = clock.now
        let store = try AuditStore(path: config.databasePath)
        let text = try ReportRendering.render(.text, store: store, runID: result.runID, listing: .newFindingsCapped)
        let finished = clock.now
        let peak = MemoryProbe.peak()

        let reader = try ReadOnlyStore.open(path: config.databasePath)
        let runID = String(result.runID)
        let requests = try QueryRunner.run(store: reader, sql: """
            SELECT c.name, rc.requests FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
            WHERE rc.run_id = :run_id ORDER BY c.name
            """, arguments: ["run_id": runID])
        let counts = try QueryRunner.run(store: reader, sql: """
            SELECT (SELECT count(*) FROM sighting WHERE run_id = :run_id),
                   (SELECT count(*) FROM (SELECT DISTINCT kind, resource_id FROM sighting WHERE run_id = :run_id)),
                   (SELECT count(*) FROM finding WHERE run_id = :run_id)
            """, arguments: ["run_id": runID])
        let row = counts.rows.first ?? []
        func int(_ index: Int) -> Int { row.indices.contains(index) ? Int(row[index] ?? "") ?? 0 : 0 }
        let denied = try QueryRunner.run(store: reader, sql: """
            SELECT c.name, l.endpoint, sum(coalesce(l.note, '') NOT LIKE 'not asked:%'), sum(coalesce(l.note, '') LIKE 'not asked:%')
            FROM listing l JOIN credential c ON c.id = l.credential_id
            WHERE l.run_id = :run_id AND l.status = 'denied' GROUP BY c.name, l.endpoint
            """, arguments: ["run_id": runID])
        var deniedListings: [String: [String: (asked: Int, notAsked: Int)]] = [:]
        for row in denied.rows where row.count == 4 {
            deniedListings[row[0] ?? "?", default: [:]][row[1] ?? "?"] = (Int(row[2] ?? "") ?? 0, Int(row[3] ?? "") ?? 0)
        }
        return AuditMeasurement(
            configuration: configuration, status: result.status.rawValue,
            requestsByCredential: Dictionary(uniqueKeysWithValues: requests.rows.map { ($0[0] ?? "?", Int($0[1] ?? "") ?? 0) }),
            rateLimitedByCredential: rateLimited.counts, deniedListings: deniedListings,
            crawl: result.crawlDuration, findings: result.findingsDuration,
            summary: finished - summaryStarted, wall: finished - started,
            sightings: int(0), distinctResources: int(1), findingCount: int(2),
            peakRSS: peak, peakRSSIsPhaseOnly: phaseOnly,
            databaseBytes: Self.databaseSize(config.databasePath), summaryBytes: text.utf8.count,
            databasePath: config.databasePath)
    }

    /// The database file with its write-ahead log.
    static func databaseSize(_ path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? nil
            return total + (size ?? 0)
        }
    }
}

/// Thread-safe counts by name that the client's observer can bump from any thread.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int] = [:]

    func add(_ name: String) {
        lock.lock()
        values[name, default: 0] += 1
        lock.unlock()
    }

    var counts: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
