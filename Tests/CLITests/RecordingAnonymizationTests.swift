import CozeRecording
import CozeSimulator
import CozeTestSupport
import Foundation
import Testing

/// `run --record` keeps no secret, id or name of the tenant (issue 13): a run over a scenario full
/// of hostile names is recorded, and every byte of the recording is searched for every secret,
/// every original id and every original name, raw, JSON-escaped and percent-encoded. The same
/// search over the scenario itself finds every one of them (the positive control).
@Suite("recording anonymization", .serialized)
struct RecordingAnonymizationTests {
    /// Names no API would invent: CJK, emoji, markup, quotes, control characters, 10 KB.
    static let hostileNames: [String] = [
        "研发中心🚀<script>alert('ws')</script>",
        "Zhang San's \"secret\" workspace \\ back",
        "客服机器人 <img src=x onerror=alert(1)> 🤖",
        "订单查询 13800138000 李四的会话",
        "Voice of Ms. Wang 王女士的声音 🎙️",
        "App «Lab Assistant» with ünïcödé",
        "工作流：审批流程 approve&reject=1",
        "Chatflow\tTabbed\nNewline name",
        "李雷的个人账号 Li Lei personal",
        "火山示例科技 Volcano Example Tech",
        "A description that names a customer: 张三, phone 13900139000",
        String(repeating: "长名字LongName", count: 1000),  // ≈ 17 KB of UTF-8
    ]

    static func scenario() throws -> Scenario {
        var scenario = try Scenario.bundled()
        let names = hostileNames
        for index in scenario.workspaces.indices { scenario.workspaces[index].name = names[index % 2] + " #\(index)" }
        scenario.workspaces[0].description = names[10]
        for index in scenario.bots.indices {
            scenario.bots[index].name = names[2] + " #\(index)"
            scenario.bots[index].description = names[10] + " bot \(index)"
        }
        scenario.bots[0].name = names[11]
        for index in scenario.conversations.indices {
            scenario.conversations[index].name = names[3] + " #\(index)"
            scenario.conversations[index].metaData = ["customer": "王五 customer-\(index)", "phone": "1860018600\(index)"]
        }
        for index in scenario.voices.indices {
            scenario.voices[index].name = names[4] + " #\(index)"
            scenario.voices[index].previewText = names[10] + " preview \(index)"
        }
        for index in scenario.apps.indices {
            scenario.apps[index].name = names[5] + " #\(index)"
            scenario.apps[index].description = names[10] + " app \(index)"
        }
        for index in scenario.workflows.indices {
            scenario.workflows[index].name = names[index % 2 == 0 ? 6 : 7] + " #\(index)"
            scenario.workflows[index].description = names[10] + " workflow \(index)"
        }
        scenario.accounts[0].name = names[8]
        scenario.accounts[1].name = names[9]
        return scenario
    }

    /// The forms a value can take in a file: raw, JSON-escaped (`\uXXXX` for everything outside
    /// ASCII, `\"`, `\\`, `\/`, control characters) and percent-encoded.
    static func forms(_ value: String) -> [String] {
        func escaped(_ hex: String, slash: Bool) -> String {
            var out = ""
            for unit in value.utf16 {
                switch unit {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x2F: out += slash ? "\\/" : "/"
                case 0x0A: out += "\\n"
                case 0x09: out += "\\t"
                case 0x0D: out += "\\r"
                case 0x20..<0x7F: out += String(UnicodeScalar(UInt8(unit)))
                default: out += "\\u" + String(format: hex, unit)
                }
            }
            return out
        }
        let percent = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        return Array(Set([value, percent] + ["%04x", "%04X"].flatMap { hex in [true, false].map { escaped(hex, slash: $0) } }))
    }

    /// Every file of `directory`, concatenated.
    static func bytes(of directory: String) throws -> Data {
        var all = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            all.append(try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
        }
        return all
    }

    @Test("no secret, id or name of a hostile tenant is in any byte of its recording, in any encoding; the same search finds all of them in the scenario")
    func nothingIdentifyingRecorded() async throws {
        let scenario = try Self.scenario()
        try await withFixture(scenario) { fixture in
            try await fixture.addAppCredentials()
            let recording = fixture.directory + "/recording"
            let run = try await fixture.cli(["run", "--record", recording])
            #expect(run.status == 0, "\(run.stderr)")
            let recorded = try Self.bytes(of: recording)
            #expect(recorded.count > 10_000, "the recording holds the run (\(recorded.count) bytes)")

            // Secrets: every token, the OAuth token file's tokens, the JWT key, and the tokens the
            // simulator issued to the JWT apps (prefix czs_).
            var secrets = scenario.credentials.map(\.token)
            let tokenFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/secrets")
                .filter { $0.hasSuffix(".json") }
            for file in tokenFiles {
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/secrets/" + file)))
                let fields = try #require(object as? [String: Any])
                secrets += ["access_token", "refresh_token"].compactMap { fields[$0] as? String }
            }
            #expect(tokenFiles.count == scenario.oauthApps.count && secrets.count > scenario.credentials.count)
            let keyLines = DemoAppKey.privateKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
            secrets += keyLines
            // Ids: every resource, account, user, owner and app id of the scenario.
            var ids = scenario.workspaces.flatMap { [$0.id, $0.ownerUID] } + scenario.bots.map(\.id) + scenario.conversations.map(\.id)
                + scenario.voices.map(\.voiceID) + scenario.apps.map(\.id) + scenario.workflows.map(\.id)
                + scenario.accounts.map(\.id) + scenario.jwtApps.map(\.clientID) + scenario.oauthApps.map(\.clientID)
            ids = Array(Set(ids)).filter { $0.count >= 6 }
            // Names: every free text set above, and the pieces a partial copy would keep.
            var names = Self.hostileNames + ["王五 customer-0", "18600186000", "13800138000", "13900139000", "张三"]
            names += scenario.workspaces.map(\.name) + scenario.bots.map(\.name) + scenario.apps.map(\.name) + scenario.workflows.map(\.name)

            // Positive control: the same search finds every needle in the scenario as a JSON file
            // (and the secrets in the files that hold them).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let source = String(decoding: try encoder.encode(scenario), as: UTF8.self) + "\n" + secrets.joined(separator: "\n")
            var checked = 0
            for needle in secrets + ids + names {
                #expect(Self.forms(needle).contains { source.contains($0) }, "positive control: \(needle.prefix(40)) is in the scenario")
                for form in Self.forms(needle) {
                    let found = recorded.range(of: Data(form.utf8)) != nil
                    #expect(!found, "the recording holds \(form.prefix(60))")
                    checked += 1
                }
            }
            #expect(checked > 200, "\(checked) needle forms searched")
            #expect(recorded.range(of: Data("czs_".utf8)) == nil, "no token the simulator issued")
            #expect(recorded.range(of: Data("BEGIN".utf8)) == nil && recorded.range(of: Data("eyJ".utf8)) == nil, "no key, no JWT")

            // And what must stay for a replay does stay: codes, states, paging, connector ids.
            let text = String(decoding: recorded, as: UTF8.self)
            for kept in ["\\\"code\\\":4101", "is_published", "\\\"connector_id\\\":\\\"999\\\"", "has_more", "page_size=50", "access_deny"] {
                #expect(text.contains(kept), "kept: \(kept)")
            }
        }
    }

    @Test("pseudonyms keep the shape (19 digits stay 19 digits, letters stay letters), agree across path, query and body, and differ between recordings")
    func pseudonymShape() {
        let one = Anonymizer(), two = Anonymizer()
        let id = "7400000000000000004"
        #expect(one.id(id).count == 19 && one.id(id).allSatisfy(\.isNumber) && one.id(id).first != "0" && one.id(id) != id)
        #expect(one.id(id) == one.id(id) && one.id(id) != two.id(id))
        let enterprise = one.id("volcano_2105850123")
        #expect(enterprise.count == 18 && enterprise.dropFirst(7).first == "_" && enterprise.prefix(7).allSatisfy(\.isLowercase))
        #expect(one.path("/api/permission/oauth2/enterprise_id/volcano_2105850123/token") == "/api/permission/oauth2/enterprise_id/\(enterprise)/token")
        #expect(one.query("workspace_id=\(id)&page_num=2&page_size=50") == "workspace_id=\(one.id(id))&page_num=2&page_size=50")
        let (body, _) = one.body(Array(#"{"code":0,"data":{"items":[{"id":"\#(id)","name":"客服机器人","is_published":true,"meta_data":{"k":"v"}}]}}"#.utf8))
        #expect(body == #"{"code":0,"data":{"items":[{"id":"\#(one.id(id))","is_published":true,"meta_data":{},"name":"字字字字"}]}}"#)
        #expect(Anonymizer.text(String(repeating: "a", count: 10_000)).count == 256)
        #expect(one.message("token pat_abcdefgh123 has no permission for 7400000000000000004")
                == "token [token] has no permission for \(one.id(id))")
        let (page, text) = one.body(Array("<html><body>404 Not Found</body></html>".utf8))
        #expect(page == nil && text?.contains("not JSON") == true && text?.contains("404") == false)
    }
}
