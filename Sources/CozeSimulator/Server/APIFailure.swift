/// A Coze error answer: envelope code and message plus the HTTP status the real API pairs it with
/// (docs/openapi.md §1.6). `errors_as_http_200` replaces the status with 200 at the last moment.
struct APIFailure: Error, Sendable, Equatable {
    var code: Int
    var msg: String
    var httpStatus: Int

    static func badRequest(_ msg: String) -> APIFailure {
        APIFailure(code: 4000, msg: msg, httpStatus: 400)
    }

    static let unauthenticated = APIFailure(code: 4100, msg: "authentication is invalid", httpStatus: 401)

    static func forbidden(_ msg: String) -> APIFailure {
        APIFailure(code: 4101, msg: msg, httpStatus: 403)
    }

    /// What `token_blaming_4101` puts in every 4101 instead of the permission text.
    static let tokenBlamingMessage = "The token you entered is incorrect. Please check and try again."

    static func notFound(_ msg: String) -> APIFailure {
        APIFailure(code: 4200, msg: msg, httpStatus: 404)
    }

    static let rateLimited = APIFailure(code: 4013, msg: "request rate limit exceeded, please retry later", httpStatus: 429)
}
