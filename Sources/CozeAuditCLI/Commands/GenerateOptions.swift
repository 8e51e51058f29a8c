import ArgumentParser
import CozeSimulator

/// The shape of a generated tenant (`Scenario.generate`), shared by `simulate --generate` and `bench`.
struct GenerateOptions: ParsableArguments {
    @Flag(help: "Serve a generated tenant instead of a scenario file (deterministic for a given --seed).")
    var generate = false

    @Option(help: "Generated: number of workspaces.")
    var workspaces = 20

    @Option(help: "Generated: bots per workspace.")
    var botsPerWorkspace = 5

    @Option(help: "Generated: conversations per bot (split between the API and Chat SDK connectors).")
    var conversationsPerBot = 10

    @Option(help: "Generated: custom voices (three system voices are always added).")
    var voices = 20

    @Option(help: "Generated: apps per workspace (the first published to the API, the others mixed with drafts).")
    var appsPerWorkspace = 2

    @Option(help: "Generated: workflows per workspace (workflows and chatflows, published and drafts, some inside an app).")
    var workflowsPerWorkspace = 3

    @Option(help: "Generated: random seed; the same seed and sizes give the same tenant.")
    var seed: UInt64 = 1

    func validate() throws {
        for (name, value) in [("--workspaces", workspaces), ("--bots-per-workspace", botsPerWorkspace),
                              ("--conversations-per-bot", conversationsPerBot), ("--voices", voices),
                              ("--apps-per-workspace", appsPerWorkspace), ("--workflows-per-workspace", workflowsPerWorkspace)] where value < 0 {
            throw ValidationError("\(name) must not be negative")
        }
    }

    func scenario(qps: Double? = nil, latencyMS: Int = 0) -> Scenario {
        Scenario.generate(workspaces: workspaces, botsPerWorkspace: botsPerWorkspace, conversationsPerBot: conversationsPerBot,
                          voices: voices, seed: seed, appsPerWorkspace: appsPerWorkspace,
                          workflowsPerWorkspace: workflowsPerWorkspace, qps: qps, latencyMS: latencyMS)
    }
}
