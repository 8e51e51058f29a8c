/// Positions of bots and conversations by parent, so a listing costs what its page costs and not
/// a scan of the whole tenant (a generated benchmark tenant has a million conversations).
///
/// Built lazily from the scenario as it is now and dropped by every `update`, so it can never
/// disagree with the scenario it answers for. Order within a parent is scenario order, as the
/// unindexed filters produced.
final class ScenarioIndex: Sendable {
    let botPosition: [String: Int]
    let botsByWorkspace: [String: [Int]]
    let conversationsByBot: [String: [Int]]

    init(_ scenario: Scenario) {
        var botPosition: [String: Int] = [:]
        var botsByWorkspace: [String: [Int]] = [:]
        for (position, bot) in scenario.bots.enumerated() {
            if botPosition[bot.id] == nil { botPosition[bot.id] = position }
            botsByWorkspace[bot.workspaceID, default: []].append(position)
        }
        var conversationsByBot: [String: [Int]] = [:]
        for (position, conversation) in scenario.conversations.enumerated() {
            conversationsByBot[conversation.botID, default: []].append(position)
        }
        self.botPosition = botPosition
        self.botsByWorkspace = botsByWorkspace
        self.conversationsByBot = conversationsByBot
    }

    func bot(id: String, in scenario: Scenario) -> Scenario.Bot? {
        botPosition[id].map { scenario.bots[$0] }
    }

    func bots(workspaceID: String, in scenario: Scenario) -> [Scenario.Bot] {
        (botsByWorkspace[workspaceID] ?? []).map { scenario.bots[$0] }
    }

    func conversations(botID: String, in scenario: Scenario) -> [Scenario.Conversation] {
        (conversationsByBot[botID] ?? []).map { scenario.conversations[$0] }
    }
}
