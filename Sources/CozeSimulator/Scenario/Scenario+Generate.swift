extension Scenario {
    /// A deterministic migrated tenant of any size, for benchmarks and `simulate --generate`.
    ///
    /// Same roles as `migrated-account`: one personal account that upgraded to one enterprise,
    /// about half of its team workspaces migrated, conversations and voices split between the
    /// two accounts, and the credentials `personal-pat`, `old-pat-2024` (expired),
    /// `team-pat-2024` (scoped to one migrated workspace, no voice permission) and
    /// `enterprise-pat` (no voice permission, no grant). Tokens are fixed strings, so a config
    /// written once keeps working.
    ///
    /// Each workspace also holds `appsPerWorkspace` apps and `workflowsPerWorkspace` workflows
    /// (see ``generateAppsAndWorkflows``), drawn from a generator of their own, so adding them left
    /// the bots, conversations and voices of every seed as they were.
    public static func generate(
        workspaces: Int, botsPerWorkspace: Int, conversationsPerBot: Int, voices: Int, seed: UInt64,
        appsPerWorkspace: Int = 2, workflowsPerWorkspace: Int = 3,
        qps: Double? = nil, latencyMS: Int = 0
    ) -> Scenario {
        var rng = SplitMix64(seed: seed)
        let personal = "2105850000001"
        let enterprise = "volcano_2105850123"
        let base: Int64 = 1_717_000_000
        var scenario = Scenario(
            name: "generated-\(seed)",
            description: "Generated: \(workspaces) workspaces × \(botsPerWorkspace) bots × \(conversationsPerBot) conversations, \(voices) voices, seed \(seed).",
            latencyMS: latencyMS,
            accounts: [
                Account(id: personal, type: "personal", name: "李雷"),
                Account(id: enterprise, type: "enterprise", name: "火山示例科技", personalAccountID: personal),
            ])
        for index in 0..<max(0, workspaces) {
            let id = numberedID(prefix: "74", index + 1)
            let migrated = index > 0 && rng.chance(50)
            let native = index > 0 && !migrated && rng.chance(15)
            scenario.workspaces.append(
                Workspace(
                    id: id, name: index == 0 ? "个人空间" : "Workspace \(index + 1)",
                    workspaceType: index == 0 ? "personal" : "team",
                    accountID: migrated || native ? enterprise : personal,
                    ownerUID: native ? "2105850000099" : personal, migratedFrom: migrated ? personal : nil))
        }
        var botSerial = 0
        var conversationSerial = 0
        for workspace in scenario.workspaces {
            for _ in 0..<max(0, botsPerWorkspace) {
                botSerial += 1
                let bot = randomBot(serial: botSerial, workspace: workspace, base: base, rng: &rng)
                scenario.bots.append(bot)
                for _ in 0..<max(0, conversationsPerBot) {
                    conversationSerial += 1
                    let byPersonal = workspace.accountID == personal || rng.chance(50)
                    scenario.conversations.append(
                        Conversation(
                            id: numberedID(prefix: "742", conversationSerial), botID: bot.id,
                            accountID: byPersonal ? personal : enterprise, connectorID: rng.chance(70) ? "1024" : "999",
                            name: "Conversation \(conversationSerial)",
                            createdAt: base + 1_000_000 + Int64(conversationSerial) * 60 + Int64(rng.below(60))))
                }
            }
        }
        for serial in 1...max(1, voices) where voices > 0 {
            let byPersonal = rng.chance(60)
            scenario.voices.append(
                Voice(
                    voiceID: numberedID(prefix: "743", serial), name: "Voice \(serial)",
                    accountID: byPersonal ? personal : enterprise, state: rng.chance(80) ? "cloned" : "init",
                    modelType: rng.chance(50) ? "big" : "small", languageCode: rng.chance(70) ? "zh" : "en",
                    createTime: base + Int64(serial) * 3600))
        }
        for (offset, name) in ["通用女声", "通用男声", "English narrator"].enumerated() {
            scenario.voices.append(
                Voice(
                    voiceID: String(7_426_720_361_733_046_281 + Int64(offset)), name: name, accountID: nil,
                    modelType: offset == 2 ? "small" : "big", languageCode: offset == 2 ? "en" : "zh",
                    createTime: 1_700_000_000))
        }
        scenario.generateAppsAndWorkflows(appsPerWorkspace: appsPerWorkspace, workflowsPerWorkspace: workflowsPerWorkspace,
                                          seed: seed, base: base)
        let teamScope = scenario.workspaces.first { $0.migratedFrom != nil }.map { [$0.id] } ?? []
        scenario.credentials = [
            Credential(name: "personal-pat", token: "pat_sim_personal_Q2hpbmEgUGVyc29uYWw", accountID: personal, qps: qps),
            Credential(name: "old-pat-2024", token: "pat_sim_expired_T2xkIDIwMjQgUEFU", accountID: personal, status: "expired", qps: qps),
            Credential(
                name: "team-pat-2024", token: "pat_sim_teamscope_U2FsZXMgVGVhbSBQQVQ", accountID: personal,
                workspaceScope: .only(teamScope), deniedEndpoints: ["GET /v1/audio/voices"], qps: qps),
            Credential(
                name: "enterprise-pat", token: "pat_sim_enterprise_RW50ZXJwcmlzZSBQQVQ", accountID: enterprise,
                deniedEndpoints: ["GET /v1/audio/voices"], qps: qps),
        ]
        return scenario
    }

    /// Apps and workflows of every workspace, with the variety the audit must handle: apps
    /// published to the API, published elsewhere only, and drafts; workflows and chatflows,
    /// published and drafts, some built inside one of the workspace's apps (`app_id`).
    ///
    /// The first app of a workspace is always published to the API, its first workflow always a
    /// published workflow of the workspace, and its second (when asked for) a chatflow, so that
    /// every generated tenant has at least one of each shape the findings care about.
    mutating func generateAppsAndWorkflows(appsPerWorkspace: Int, workflowsPerWorkspace: Int, seed: UInt64, base: Int64) {
        var rng = SplitMix64(seed: seed ^ 0x6170_7073_776B_666C)  // "appswkfl": a stream of its own
        var appSerial = 0
        var workflowSerial = 0
        for workspace in workspaces {
            var workspaceApps: [String] = []
            for index in 0..<max(0, appsPerWorkspace) {
                appSerial += 1
                let roll = index == 0 ? 0 : rng.below(100)
                let (status, connectors): (String, [String]) =
                    switch roll {
                    case ..<55: ("published_online", ["1024"])
                    case ..<70: ("published_online", ["999"])
                    default: ("unpublished_draft", [])
                    }
                let updated = base + 2_000_000 + Int64(appSerial) * 900 + Int64(rng.below(900))
                let app = App(
                    id: Self.numberedID(prefix: "745", appSerial), workspaceID: workspace.id, name: "App \(appSerial)",
                    publishStatus: status, connectorIDs: connectors, ownerUserID: workspace.ownerUID, updatedAt: updated,
                    publishedAt: status == "unpublished_draft" ? nil : updated)
                apps.append(app)
                workspaceApps.append(app.id)
            }
            for index in 0..<max(0, workflowsPerWorkspace) {
                workflowSerial += 1
                let mode = index == 1 || (index > 1 && rng.chance(30)) ? "chatflow" : "workflow"
                let published = index == 0 || rng.chance(70)
                let insideApp = index > 1 && !workspaceApps.isEmpty && rng.chance(40)
                let created = base + 3_000_000 + Int64(workflowSerial) * 700 + Int64(rng.below(700))
                workflows.append(
                    Workflow(
                        id: Self.numberedID(prefix: "746", workflowSerial), workspaceID: workspace.id,
                        name: "\(mode == "chatflow" ? "Chatflow" : "Workflow") \(workflowSerial)", mode: mode,
                        publishStatus: published ? "published_online" : "unpublished_draft",
                        appID: insideApp ? workspaceApps[rng.below(workspaceApps.count)] : nil,
                        creatorID: workspace.ownerUID, createdAt: created, updatedAt: created + Int64(rng.below(86_400))))
            }
        }
    }

    private static func randomBot(serial: Int, workspace: Workspace, base: Int64, rng: inout SplitMix64) -> Bot {
        let roll = rng.below(100)
        let status: String
        let connectors: [String]
        switch roll {
        case ..<40: (status, connectors) = ("published_online", ["1024"])
        case ..<60: (status, connectors) = ("published_online", ["1024", "999"])
        case ..<75: (status, connectors) = ("published_draft", ["999"])
        default: (status, connectors) = ("unpublished_draft", [])
        }
        return Bot(
            id: numberedID(prefix: "741", serial), workspaceID: workspace.id, name: "Bot \(serial)",
            publishStatus: status, connectorIDs: connectors, ownerUserID: workspace.ownerUID,
            updatedAt: base + Int64(serial) * 600 + Int64(rng.below(600)))
    }

    /// 19-digit ids like Coze's: a prefix, then the serial zero-padded.
    static func numberedID(prefix: String, _ serial: Int) -> String {
        let digits = String(serial)
        return prefix + String(repeating: "0", count: max(0, 19 - prefix.count - digits.count)) + digits
    }
}

extension Scenario {
    /// The OAuth user of ``withEveryCredentialType()``: a token a device login would have written.
    public static let generatedOAuthUserToken = "czu_sim_enterpriseuser_RGV2aWNlIGxvZ2luIHVzZXI"

    /// A generated tenant (`generate`) with the nine credentials of a real audit, of every type: its
    /// four PATs, plus `enterprise-scoped-pat` (an enterprise PAT scoped to two workspaces),
    /// `ci-pat` (a personal PAT scoped to the personal space), the JWT apps `enterprise-app` (the
    /// enterprise) and `personal-app` (the personal account), signed with ``DemoAppKey``, and the
    /// OAuth user `enterprise-user` (enterprise, three workspaces).
    ///
    /// The OAuth user is a token the simulator knows as issued to a user (type `oauth`,
    /// ``generatedOAuthUserToken``), as a device login against this tenant would leave it in the
    /// token file: a simulator in another process cannot approve a device code, so a benchmark
    /// writes the token file itself. Tokens and app ids are fixed, so a config written once keeps working.
    public func withEveryCredentialType() -> Scenario {
        var scenario = self
        let personal = "2105850000001", enterprise = "volcano_2105850123"
        let enterpriseWorkspaces = workspaces.filter { $0.accountID == enterprise }.map(\.id)
        let personalSpace = workspaces.first { $0.workspaceType == "personal" }.map { [$0.id] } ?? []
        scenario.credentials += [
            Credential(
                name: "enterprise-scoped-pat", token: "pat_sim_entscoped_U2NvcGVkIHRvIOWuouacjQ", accountID: enterprise,
                workspaceScope: .only(Array(enterpriseWorkspaces.prefix(2)))),
            Credential(name: "ci-pat", token: "pat_sim_ci_Q0kgcGlwZWxpbmUgUEFU", accountID: personal, workspaceScope: .only(personalSpace)),
            Credential(
                name: "enterprise-user", type: "oauth", token: Self.generatedOAuthUserToken, accountID: enterprise,
                workspaceScope: .only(Array(enterpriseWorkspaces.prefix(3)))),
        ]
        scenario.jwtApps += [
            JWTApp(name: "enterprise-app", clientID: "1170000000000000001", keyID: DemoAppKey.keyID,
                   publicKeyPEM: DemoAppKey.publicKeyPEM, enterpriseID: enterprise),
            JWTApp(name: "personal-app", clientID: "1170000000000000002", keyID: DemoAppKey.keyID,
                   publicKeyPEM: DemoAppKey.publicKeyPEM, accountID: personal),
        ]
        return scenario
    }

    /// The token or app named `name` lacks the permission point of `endpoint` (`"GET /v1/conversations"`): 4101.
    public func denying(_ endpoint: String, to name: String) -> Scenario {
        var scenario = self
        for index in scenario.credentials.indices where scenario.credentials[index].name == name
            && !scenario.credentials[index].deniedEndpoints.contains(endpoint) {
            scenario.credentials[index].deniedEndpoints.append(endpoint)
        }
        for index in scenario.jwtApps.indices where scenario.jwtApps[index].name == name
            && !scenario.jwtApps[index].deniedEndpoints.contains(endpoint) {
            scenario.jwtApps[index].deniedEndpoints.append(endpoint)
        }
        return scenario
    }

    /// The token or app named `name` is limited to `qps` requests per second (HTTP 429 + 4013 above it).
    public func limiting(_ name: String, qps: Double) -> Scenario {
        var scenario = self
        for index in scenario.credentials.indices where scenario.credentials[index].name == name { scenario.credentials[index].qps = qps }
        for index in scenario.jwtApps.indices where scenario.jwtApps[index].name == name { scenario.jwtApps[index].qps = qps }
        return scenario
    }
}
