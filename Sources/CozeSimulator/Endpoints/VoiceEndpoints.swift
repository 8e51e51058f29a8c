/// `GET /v1/audio/voices`: system voices to anyone, custom voices of the caller's account and of
/// a granted personal account; no owner field, as on the real API.
enum VoiceEndpoints {
    static func list(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let query = context.query
        let hideSystem = try query.bool("filter_system_voice", default: false)
        let modelType = try query.oneOf("model_type", ["big", "small"], default: nil)
        let state = try query.oneOf("voice_state", ["init", "cloned", "all"], default: "cloned")!
        let window = try query.page(defaultSize: 100, sizeRange: 1...100)
        let voices = context.visibility.voices.filter { voice in
            if hideSystem, voice.isSystemVoice { return false }
            if let modelType, voice.modelType != modelType { return false }
            return state == "all" || voice.state == state
        }
        let page = window.slice(voices)
        return .object([
            ("voice_list", .array(page.items.map(item))),
            ("has_more", .bool(page.hasMore)),
        ])
    }

    static let languageNames = ["zh": "中文", "en": "英语", "ja": "日语", "es": "西班牙语", "id": "印尼语", "pt": "葡萄牙语"]

    static func item(_ voice: Scenario.Voice) -> JSONValue {
        let emotions: [JSONValue] = (voice.supportEmotions ?? []).map { emotion in
            .object([
                ("emotion", .string(emotion)),
                ("display_name", .string(emotion)),
                ("emotion_scale_interval", .object([("min", 1), ("max", 5), ("default", 4)])),
            ])
        }
        let modelName = voice.modelName ?? (voice.modelType == "big" ? "豆包语音合成大模型" : "豆包语音合成小模型")
        return .object([
            ("voice_id", .string(voice.voiceID)),
            ("name", .string(voice.name)),
            ("state", .string(voice.state)),
            ("model_type", .string(voice.modelType)),
            ("model_name", .string(modelName)),
            ("is_system_voice", .bool(voice.isSystemVoice)),
            ("language_code", .string(voice.languageCode)),
            ("language_name", .string(voice.languageName ?? languageNames[voice.languageCode] ?? voice.languageCode)),
            ("preview_text", .string(voice.previewText ?? "你好，欢迎使用扣子。")),
            ("preview_audio", .string(voice.previewAudio ?? FakeCDN.audio(voice.voiceID))),
            ("create_time", .int(voice.createTime)),
            ("update_time", .int(voice.updateTime ?? voice.createTime)),
            ("available_training_times", .int(Int64(voice.availableTrainingTimes ?? (voice.isSystemVoice ? 0 : 10)))),
            ("support_emotions", .array(emotions)),
        ])
    }
}
