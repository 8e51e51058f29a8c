extension Scenario {
    /// A voice: a system voice (`account_id` null) or one cloned by an account (account-level).
    public struct Voice: Codable, Sendable, Equatable {
        public var voiceID: String
        public var name: String
        public var accountID: String?
        public var isSystemVoice: Bool
        /// `init` (training not finished) or `cloned`.
        public var state: String
        /// `big` or `small`.
        public var modelType: String
        public var languageCode: String
        public var createTime: Int64
        public var updateTime: Int64?
        public var modelName: String?
        public var languageName: String?
        public var previewText: String?
        public var previewAudio: String?
        public var availableTrainingTimes: Int?
        /// Emotion names (`happy`, `sad`, …) rendered as `support_emotions` objects.
        public var supportEmotions: [String]?

        public init(
            voiceID: String, name: String, accountID: String?, isSystemVoice: Bool? = nil,
            state: String = "cloned", modelType: String = "big", languageCode: String = "zh",
            createTime: Int64, updateTime: Int64? = nil, modelName: String? = nil, languageName: String? = nil,
            previewText: String? = nil, previewAudio: String? = nil, availableTrainingTimes: Int? = nil,
            supportEmotions: [String]? = nil
        ) {
            self.voiceID = voiceID
            self.name = name
            self.accountID = accountID
            self.isSystemVoice = isSystemVoice ?? (accountID == nil)
            self.state = state
            self.modelType = modelType
            self.languageCode = languageCode
            self.createTime = createTime
            self.updateTime = updateTime
            self.modelName = modelName
            self.languageName = languageName
            self.previewText = previewText
            self.previewAudio = previewAudio
            self.availableTrainingTimes = availableTrainingTimes
            self.supportEmotions = supportEmotions
        }

        enum CodingKeys: String, CodingKey {
            case name, state
            case voiceID = "voice_id"
            case accountID = "account_id"
            case isSystemVoice = "is_system_voice"
            case modelType = "model_type"
            case languageCode = "language_code"
            case createTime = "create_time"
            case updateTime = "update_time"
            case modelName = "model_name"
            case languageName = "language_name"
            case previewText = "preview_text"
            case previewAudio = "preview_audio"
            case availableTrainingTimes = "available_training_times"
            case supportEmotions = "support_emotions"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                voiceID: try c.decode(String.self, forKey: .voiceID),
                name: try c.decode(String.self, forKey: .name),
                accountID: try c.decodeIfPresent(String.self, forKey: .accountID),
                isSystemVoice: try c.decodeIfPresent(Bool.self, forKey: .isSystemVoice),
                state: try c.decodeIfPresent(String.self, forKey: .state) ?? "cloned",
                modelType: try c.decodeIfPresent(String.self, forKey: .modelType) ?? "big",
                languageCode: try c.decodeIfPresent(String.self, forKey: .languageCode) ?? "zh",
                createTime: try c.decodeIfPresent(Int64.self, forKey: .createTime) ?? 0,
                updateTime: try c.decodeIfPresent(Int64.self, forKey: .updateTime),
                modelName: try c.decodeIfPresent(String.self, forKey: .modelName),
                languageName: try c.decodeIfPresent(String.self, forKey: .languageName),
                previewText: try c.decodeIfPresent(String.self, forKey: .previewText),
                previewAudio: try c.decodeIfPresent(String.self, forKey: .previewAudio),
                availableTrainingTimes: try c.decodeIfPresent(Int.self, forKey: .availableTrainingTimes),
                supportEmotions: try c.decodeIfPresent([String].self, forKey: .supportEmotions)
            )
        }
    }
}
