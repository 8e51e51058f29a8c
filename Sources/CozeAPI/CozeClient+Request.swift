import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// The request loop: rate limit → token → one bounded attempt → envelope → retry decision.
extension CozeClient {
    /// An authenticated `GET` of `path` with `query`, decoded from the envelope.
    ///
    /// Retries (GETs are idempotent) on 5xx, timeouts and transport errors, per
    /// ``CozeClientOptions/retry``; never past ``CozeClientOptions/runDeadline``. A throttled answer
    /// (429, 4013…) is retried on the rate limiter's schedule without using up those attempts, up to
    /// ``CozeClientOptions/maxThrottledAnswers`` or ``CozeClientOptions/maxThrottleWait``.
    /// Throws ``CozeAPIError`` (or `CancellationError`).
    public func get(_ path: String, query: [(String, String)] = []) async throws -> CozeResponse {
        let endpoint = "GET \(path)"
        let queryString = Self.encode(query)
        let url = baseURL + path + (queryString.isEmpty ? "" : "?" + queryString)
        let policy = options.retry
        var attempt = 0
        /// Failed attempts that count against `policy.maxAttempts` (throttled answers do not).
        var counted = 0
        var throttled = 0
        var throttleWait = Duration.zero
        var renewed: String?
        var tokenRenewed = false
        while true {
            attempt += 1
            if let limiter = options.rateLimiter { try await limiter.acquire() }
            // When the adaptive limiter let this attempt go: it counts what the server accepted by sending time.
            var sentAt: Duration?
            if let limiter = options.adaptiveLimiter { sentAt = try await limiter.acquire() }
            let token: String
            if let fresh = renewed {
                token = fresh
                renewed = nil
            } else {
                token = try await accessToken(endpoint: endpoint, query: queryString)
            }
            let started = ContinuousClock.now
            let (result, retryAfter) = try await self.attempt(url: url, endpoint: endpoint, query: queryString, token: token)
            let duration = ContinuousClock.now - started
            switch result {
            case .success(let response):
                await options.adaptiveLimiter?.succeeded(sentAt: sentAt)
                observe(endpoint, queryString, attempt, response.httpStatus, nil, response.logID, duration, .success)
                logger.debug("coze request", metadata: meta(endpoint, response.httpStatus, nil, response.logID))
                return response
            case .failure(let error):
                var delay: Duration
                var retry: Bool
                if error.classification == .rateLimited {
                    // Throttling says "slower", not "broken": the limiter decides when to try again.
                    throttled += 1
                    let cappedRetryAfter = retryAfter.map { min(max($0, .zero), policy.maxRetryAfter) }
                    if let limiter = options.adaptiveLimiter {
                        // The limiter holds every request of the credential for Retry-After and slows down.
                        await limiter.throttled(retryAfter: cappedRetryAfter, sentAt: sentAt)
                        delay = .zero
                        throttleWait += cappedRetryAfter ?? .zero
                    } else {
                        delay = policy.delay(beforeRetry: throttled, retryAfter: retryAfter)
                        throttleWait += delay
                    }
                    retry = throttled < options.maxThrottledAnswers && throttleWait <= options.maxThrottleWait
                        && fitsRunDeadline(max(delay, cappedRetryAfter ?? .zero))
                } else {
                    counted += 1
                    delay = policy.delay(beforeRetry: counted, retryAfter: retryAfter)
                    retry = error.isRetryable && counted < policy.maxAttempts && fitsRunDeadline(delay)
                }
                if error.code == 4100 {
                    await auth.invalidateToken()
                    // A cached JWT/OAuth token revoked or expired in flight: one more attempt, at once,
                    // if the credential can mint a different token (a PAT cannot). At most once per
                    // request, whatever the retry policy: this is re-authentication, not a retry.
                    if !tokenRenewed,
                       let fresh = await renewedToken(replacing: token, endpoint: endpoint, query: queryString) {
                        tokenRenewed = true
                        renewed = fresh
                        delay = .zero
                        retry = true
                    }
                }
                observe(
                    endpoint, queryString, attempt, error.httpStatus, error.code, error.logID, duration,
                    retry ? .willRetry(error, delay: delay) : .failure(error))
                logger.debug(
                    retry ? "coze request will retry" : "coze request failed",
                    metadata: meta(endpoint, error.httpStatus, error.code, error.logID))
                guard retry else { throw error }
                if renewed == nil { try await policy.sleeper.sleep(for: delay) }
            }
        }
    }

    /// One HTTP attempt; errors come back as values so the loop can decide on a retry.
    /// Only `CancellationError` escapes (as a failure it would be retried otherwise).
    private func attempt(url: String, endpoint: String, query: String, token: String) async throws -> (Result<CozeResponse, CozeAPIError>, Duration?) {
        do {
            let exchange = try await HTTPExchange.send(
                httpClient, method: .GET, url: url,
                headers: [("Authorization", "Bearer " + token), ("Accept", "application/json"), ("User-Agent", options.userAgent)],
                endpoint: endpoint, timeout: options.requestTimeout, runDeadline: options.runDeadline,
                maxBodyBytes: options.maxBodyBytes, logger: logger)
            options.exchangeObserver?(CozeExchangeEvent(exchange, endpoint: endpoint, query: query, credentialFingerprint: auth.fingerprint))
            let result = CozeEnvelope.decode(exchange, endpoint: endpoint).mapError { finish($0, token: token) }
            return (result, exchange.retryAfter)
        } catch let error as CozeAPIError {
            return (.failure(finish(error, token: token)), nil)
        }
    }

    /// After a 4100 and `invalidateToken()`: a token different from `old`, or nil when the
    /// credential has no other one (a PAT) or cannot get one now.
    private func renewedToken(replacing old: String, endpoint: String, query: String) async -> String? {
        guard let fresh = try? await accessToken(endpoint: endpoint, query: query), fresh != old else { return nil }
        return fresh
    }

    /// Gets the token; an auth failure is observed like a failed attempt and thrown.
    private func accessToken(endpoint: String, query: String) async throws -> String {
        do {
            guard let observer = options.exchangeObserver else {
                return try await auth.accessToken(using: httpClient, baseURL: baseURL)
            }
            return try await CozeExchangeTap.$current.withValue(.init(observer: observer, credentialFingerprint: auth.fingerprint)) {
                try await auth.accessToken(using: httpClient, baseURL: baseURL)
            }
        } catch let error as CozeAPIError {
            observe(error.endpoint, "", 1, error.httpStatus, error.code, error.logID, .zero, .failure(error))
            throw error
        }
    }

    /// Scrubs the token from server text and adds the per-site hint to a rejected token (4100, or a
    /// 4101 that says the token is wrong) from a Coze host.
    func finish(_ error: CozeAPIError, token: String) -> CozeAPIError {
        var error = error
        if !token.isEmpty, error.message.contains(token) {
            error.message = error.message.replacingOccurrences(of: token, with: "[redacted]")
        }
        // A .cn token sent to api.coze.com (or the reverse) answers 4100, or a 4101 saying the token
        // is wrong. The 4101 stays a denial (it is also seen for tokens that work): only the hint says so.
        let blamesToken = error.code == 4101 && CozeAPIError.messageSaysTokenIsWrong(error.message)
        if error.kind == .api, error.classification == .invalidToken || blamesToken,
           Self.isCozeHost(options.siteHost.map { "https://\($0)" } ?? baseURL) {
            error.hint = Self.siteHint
        }
        if error.classification == .unanswered {
            error.hint = Self.noEnvelopeHint
        }
        return error
    }

    static let siteHint = "check base_url: tokens are per site (api.coze.cn vs api.coze.com)"
    static let noEnvelopeHint = "no Coze envelope: check base_url (e.g. https://api.coze.cn) and any proxy in between"


    static func isCozeHost(_ baseURL: String) -> Bool {
        guard let host = URL(string: baseURL)?.host?.lowercased() else { return false }
        return host == "api.coze.cn" || host == "api.coze.com"
    }

    private func fitsRunDeadline(_ delay: Duration) -> Bool {
        guard let deadline = options.runDeadline else { return true }
        return ContinuousClock.now + delay < deadline
    }

    private func observe(
        _ endpoint: String, _ query: String, _ attempt: Int, _ status: Int?, _ code: Int?, _ logID: String?,
        _ duration: Duration, _ outcome: CozeRequestEvent.Outcome
    ) {
        guard let observer = options.observer else { return }
        observer(
            CozeRequestEvent(
                endpoint: endpoint, query: query, attempt: attempt, httpStatus: status, code: code, logID: logID,
                duration: duration, outcome: outcome, credentialFingerprint: auth.fingerprint))
    }

    private func meta(_ endpoint: String, _ status: Int?, _ code: Int?, _ logID: String?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["endpoint": "\(endpoint)"]
        if let status { metadata["http.status"] = "\(status)" }
        if let code { metadata["coze.code"] = "\(code)" }
        if let logID { metadata["coze.logid"] = "\(logID)" }
        return metadata
    }

    /// `application/x-www-form-urlencoded`-style query encoding (RFC 3986 unreserved kept).
    static func encode(_ query: [(String, String)]) -> String {
        query.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
