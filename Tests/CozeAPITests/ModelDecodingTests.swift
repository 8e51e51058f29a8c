import Testing

@testable import CozeAPI

@Suite("Model decoding")
struct ModelDecodingTests {
    @Test("a bot with a numeric id above 2^53, numeric-string timestamps and unknown fields decodes exactly")
    func botNumericID() throws {
        let json = try JSONValue(parsing: """
            {"id": 7486483746374637463, "name": "Support", "is_published": true,
             "published_at": "1718000000", "updated_at": 1718000100, "owner_user_id": 4398046511104123456,
             "folder_id": "0", "brand_new_field": {"x": [1, 2]}}
            """)
        let bot = try CozeBot(json: json)
        #expect(bot.id == "7486483746374637463")
        #expect(bot.ownerUserID == "4398046511104123456")
        #expect(bot.publishedAt == 1_718_000_000)
        #expect(bot.updatedAt == 1_718_000_100)
        #expect(bot.isPublished == true)
        #expect(bot.folderID == "0")
    }

    @Test("a bot with only an id decodes with every other field nil")
    func botMissingFields() throws {
        let bot = try CozeBot(json: JSONValue(parsing: #"{"id":"7400000000000000001"}"#))
        #expect(bot == CozeBot(id: "7400000000000000001"))
    }

    @Test("an item without its id is a decoding error naming the field")
    func missingID() {
        #expect(throws: CozeDecodingError.self) { try CozeBot(json: JSONValue(parsing: #"{"name":"x"}"#)) }
        #expect(throws: CozeDecodingError.self) { try CozeVoice(json: JSONValue(parsing: #"{"id":null}"#)) }
    }

    @Test("a workspace decodes ids given as numbers or strings, and an empty enterprise id stays empty")
    func workspace() throws {
        let workspace = try CozeWorkspace(json: JSONValue(parsing: """
            {"id": 7300000000000000001, "name": "Personal", "workspace_type": "personal", "enterprise_id": "",
             "role_type": "owner", "owner_uid": "9007199254740993", "admin_uids": [9007199254740995, "12"], "joined_status": "joined"}
            """))
        #expect(workspace.id == "7300000000000000001")
        #expect(workspace.enterpriseID == "")
        #expect(workspace.ownerUID == "9007199254740993")
        #expect(workspace.adminUIDs == ["9007199254740995", "12"])
        #expect(workspace.workspaceType == "personal")
    }

    @Test("a conversation reads its connector id as a string whether sent as number or text")
    func conversation() throws {
        let numeric = try CozeConversation(json: JSONValue(parsing: """
            {"id": 7500000000000000123, "connector_id": 1024, "creator_id": 3000000000000000001,
             "created_at": 1718000000, "meta_data": {"k": "v"}, "last_section_id": 7500000000000000124}
            """))
        #expect(numeric.id == "7500000000000000123")
        #expect(numeric.connectorID == "1024")
        #expect(numeric.creatorID == "3000000000000000001")
        #expect(numeric.metaData == ["k": "v"])
        #expect(numeric.lastSectionID == "7500000000000000124")
        let text = try CozeConversation(json: JSONValue(parsing: #"{"id":"1","connector_id":"999"}"#))
        #expect(text.connectorID == "999")
    }

    @Test("a voice takes its id from voice_id and reads is_system_voice")
    func voice() throws {
        let voice = try CozeVoice(json: JSONValue(parsing: """
            {"voice_id": "7426720361733046281", "name": "Clone", "state": "cloned", "is_system_voice": false,
             "model_type": "big", "language_code": "zh", "create_time": 1718000000, "support_emotions": []}
            """))
        #expect(voice.id == "7426720361733046281")
        #expect(voice.isSystemVoice == false)
        #expect(voice.state == "cloned")
        #expect(voice.createTime == 1_718_000_000)
    }

    @Test("the current user decodes from /v1/users/me data")
    func user() throws {
        let user = try CozeUser(json: JSONValue(parsing: #"{"user_id":"2100000000000000001","user_name":"ann","nick_name":"Ann","avatar_url":"x"}"#))
        #expect(user == CozeUser(userID: "2100000000000000001", userName: "ann", nickName: "Ann", avatarURL: "x"))
    }
}
