import CozeSimulator

/// The size of a generated tenant (`Scenario.generate`).
public struct BenchShape: Sendable, Equatable, CustomStringConvertible {
    public var workspaces: Int
    public var botsPerWorkspace: Int
    public var conversationsPerBot: Int
    public var voices: Int
    /// Apps and workflows of each workspace: they add one apps listing and two workflows
    /// listings (one per mode) per workspace and credential, which the minimum counts.
    public var appsPerWorkspace: Int
    public var workflowsPerWorkspace: Int

    public init(
        workspaces: Int, botsPerWorkspace: Int, conversationsPerBot: Int, voices: Int,
        appsPerWorkspace: Int = 2, workflowsPerWorkspace: Int = 3
    ) {
        self.workspaces = workspaces
        self.botsPerWorkspace = botsPerWorkspace
        self.conversationsPerBot = conversationsPerBot
        self.voices = voices
        self.appsPerWorkspace = appsPerWorkspace
        self.workflowsPerWorkspace = workflowsPerWorkspace
    }

    public var description: String {
        "\(workspaces) workspaces × \(botsPerWorkspace) bots × \(conversationsPerBot) conversations, \(voices) voices, "
            + "\(appsPerWorkspace) apps and \(workflowsPerWorkspace) workflows per workspace"
    }

    func scenario(seed: UInt64) -> Scenario {
        Scenario.generate(workspaces: workspaces, botsPerWorkspace: botsPerWorkspace, conversationsPerBot: conversationsPerBot,
                          voices: voices, seed: seed, appsPerWorkspace: appsPerWorkspace, workflowsPerWorkspace: workflowsPerWorkspace)
    }
}
