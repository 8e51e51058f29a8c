import CozeAPI
@testable import CozeAudit
import Foundation
import Testing

/// The optional config keys for retries and deadlines, and how they reach the HTTP client.
@Suite("Client limits in the config")
struct ClientLimitsTests {
    static let header = """
        base_url: https://api.coze.cn
        database: audit.sqlite
        credentials:
          - { name: p, side: personal, pat: { env: P } }

        """

    func parse(_ yaml: String) throws -> AuditConfig {
        try ConfigLoader.parse(Self.header + yaml, file: "coze-audit.yaml", directory: "/etc/coze")
    }

    func problem(_ yaml: String) -> String? {
        #expect(throws: ConfigError.self) { try parse(yaml) }?.description
    }

    @Test("retries, request_timeout_seconds and run_timeout_seconds parse; left out they keep the client defaults")
    func parses() throws {
        let config = try parse("""
            retries: { attempts: 2, base_delay_ms: 0 }
            request_timeout_seconds: 1.5
            run_timeout_seconds: 600
            """)
        #expect(config.limits == ClientLimits(retryAttempts: 2, retryBaseDelay: .zero, requestTimeout: .milliseconds(1500),
                                              runTimeout: .seconds(600)))
        #expect(try parse("").limits == ClientLimits())
        #expect(try parse("retries: { attempts: 1 }").limits == ClientLimits(retryAttempts: 1))
    }

    @Test("an unknown key under retries and out-of-range values name the key and the line")
    func errors() {
        #expect(problem("retries: { attempts: 2, backoff: 3 }")
            == "coze-audit.yaml:5: retries.backoff: unknown key (expected one of: attempts, base_delay_ms)")
        #expect(problem("retries: { attempts: 0 }") == "coze-audit.yaml:5: retries.attempts: expected a whole number from 1 to 10")
        #expect(problem("retries: 3") == "coze-audit.yaml:5: retries: expected a mapping")
        #expect(problem("\nrequest_timeout_seconds: 0") == "coze-audit.yaml:6: request_timeout_seconds: expected a number from 0.05 to 600.0")
        #expect(problem("run_timeout_seconds: forever") == "coze-audit.yaml:5: run_timeout_seconds: expected a number from 1.0 to 86400.0")
        #expect(problem("retry: { attempts: 2 }")?.hasPrefix("coze-audit.yaml:5: retry: unknown key") == true)
    }

    @Test("the limits replace the client's retry count, base delay and request timeout; the run deadline counts from the start")
    func apply() {
        let sleeper = TaskSleeper()
        let options = CozeClientOptions(retry: CozeRetryPolicy(maxAttempts: 4, sleeper: sleeper, random: { 0.25 }))
        let start = ContinuousClock.now
        let limits = ClientLimits(retryAttempts: 2, retryBaseDelay: .milliseconds(10), requestTimeout: .seconds(3),
                                  runTimeout: .seconds(60))
        let applied = limits.apply(to: options, runStart: start)
        #expect(applied.retry.maxAttempts == 2)
        #expect(applied.retry.baseDelay == .milliseconds(10))
        #expect(applied.retry.random() == 0.25)
        #expect(applied.requestTimeout == .seconds(3))
        #expect(applied.runDeadline == start + .seconds(60))
        let untouched = ClientLimits().apply(to: options, runStart: start)
        #expect(untouched.retry.maxAttempts == 4 && untouched.requestTimeout == .seconds(30) && untouched.runDeadline == nil)
    }
}
