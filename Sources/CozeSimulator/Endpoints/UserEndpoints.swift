/// `GET /v1/users/me`: who the token acts as (not what kind of token it is).
enum UserEndpoints {
    static func me(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let visibility = context.visibility
        let userID = visibility.userID
        let userAccount = context.scenario.accounts.first { $0.id == userID } ?? visibility.account
        let name = userAccount?.name ?? context.principal.name
        return .object([
            ("user_id", .string(userID)),
            ("user_name", .string("user_\(userID)")),
            ("nick_name", .string(name)),
            ("avatar_url", .string(FakeCDN.icon("avatar", userID))),
        ])
    }
}
