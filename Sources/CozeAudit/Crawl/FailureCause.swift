import Foundation

import CozeAPI

/// The cause of a listing that could not be answered, in plain words and without parentheses, so
/// that listings that failed the same way group into one line of a run's reason and of stderr
/// (`connection refused`, `timed out`, `HTTP 502 without a Coze envelope`, `rate limited, HTTP 429`).
/// Per-listing details (a page number, a body snippet, a log id) stay in `listing.message` and
/// `request_failure`; the cause is what an operator acts on.
enum FailureCause {

    static func words(for error: CozeAPIError) -> String {
        let status = error.httpStatus.map { "HTTP \($0)" }
        let code = error.code.map { "code \($0)" }
        switch error.kind {
        case .transport:
            if CozeAPIError.connectionCauses.contains(error.message) { return error.message }
            // NIO's words for a body cut short (the connection dropped halfway through the answer).
            if error.message.contains("ended at an unexpected time") { return "connection closed mid-answer" }
            return "connection failed: " + plain(error.message, limit: 80)
        case .timeout:
            return error.message.hasPrefix("run deadline") ? "run deadline passed" : "timed out"
        case .bodyTooLarge:
            return "body too large"
        case .malformedBody:
            return join("malformed body", status)
        case .paginationLoop:
            return "inconsistent pages"
        case .auth:
            if let oauth = error.authErrorCode { return "token endpoint refused: \(plain(oauth))" }
            return join(error.classification.words, code, status)
        case .api, .http:
            if error.classification == .rateLimited { return join("rate limited", code ?? status) }
            guard code != nil else { return "\(status ?? "an answer") without a Coze envelope" }
            switch error.classification {
            case .server: return join("server error", code, status)
            case .invalidToken: return join("token rejected", code)
            default: return join(error.classification.words, code, status)
            }
        }
    }

    private static func join(_ head: String, _ parts: String?...) -> String {
        ([head] + parts.compactMap { $0 }).joined(separator: ", ")
    }

    /// Text from outside (a server's word) made safe for a one-line reason: no parentheses, no newlines.
    static func plain(_ text: String, limit: Int = 160) -> String {
        TextSafe.clean(text, limit: limit).replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
    }
}
