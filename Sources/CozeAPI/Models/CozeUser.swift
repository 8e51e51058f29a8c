/// `GET /v1/users/me`: whom a token acts as (not what kind of token it is, docs/openapi.md §9.2).
public struct CozeUser: CozeDecodable, Hashable {
    public var userID: String
    public var userName: String?
    public var nickName: String?
    public var avatarURL: String?

    public init(userID: String, userName: String? = nil, nickName: String? = nil, avatarURL: String? = nil) {
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.avatarURL = avatarURL
    }

    public init(json: JSONValue) throws {
        userID = try json.requiredID("user_id", in: "CozeUser")
        userName = json["user_name"]?.stringValue
        nickName = json["nick_name"]?.stringValue
        avatarURL = json["avatar_url"]?.stringValue
    }
}
