/// An item of `GET /v1/audio/voices` (docs/openapi.md §6.1). The API returns no owner field.
public struct CozeVoice: CozeListItem, Hashable {
    /// The wire `voice_id`.
    public var id: String
    public var name: String?
    /// `init` or `cloned`.
    public var state: String?
    /// System voices belong to nobody and are left out of findings.
    public var isSystemVoice: Bool?
    public var modelType: String?
    public var languageCode: String?
    public var createTime: Int64?
    public var updateTime: Int64?

    public init(
        id: String, name: String? = nil, state: String? = nil, isSystemVoice: Bool? = nil,
        modelType: String? = nil, languageCode: String? = nil, createTime: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.isSystemVoice = isSystemVoice
        self.modelType = modelType
        self.languageCode = languageCode
        self.createTime = createTime
    }

    public init(json: JSONValue) throws {
        id = try json.requiredID("voice_id", "id", in: "CozeVoice")
        name = json["name"]?.stringValue
        state = json["state"]?.stringValue
        isSystemVoice = json["is_system_voice"]?.boolValue
        modelType = json["model_type"]?.stringValue
        languageCode = json["language_code"]?.stringValue
        createTime = json["create_time"]?.int64Value
        updateTime = json["update_time"]?.int64Value
    }
}
