import CozeSimulator

/// The size of a generated tenant (`Scenario.generate`).
public struct BenchShape: Sendable, Equatable, CustomStringConvertible {
    public var workspaces: Int
    public var botsPerWorkspace: Int
    public var conversationsPerBot: Int
    public var voices: Int

    public init(workspaces: Int, botsPerWorkspace: Int, conversationsPerBot: Int, voices: Int) {
        self.workspaces = workspaces
        self.botsPerWorkspace = botsPerWorkspace
        self.conversationsPerBot = conversationsPerBot
        self.voices = voices
    }

    public var description: String {
        "\(workspaces) workspaces × \(botsPerWorkspace) bots × \(conversationsPerBot) conversations, \(voices) voices"
    }

    func scenario(seed: UInt64) -> Scenario {
        Scenario.generate(workspaces: workspaces, botsPerWorkspace: botsPerWorkspace, conversationsPerBot: conversationsPerBot,
                          voices: voices, seed: seed)
    }
}
