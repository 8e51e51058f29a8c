import ArgumentParser
import CozeAudit
import Foundation

/// Options every command that reads the configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the YAML configuration.")
    var config: String = "coze-audit.yaml"

    @Option(name: .long, help: "Use this SQLite file instead of the one named in the configuration.")
    var database: String?

    func load() throws -> AuditConfig {
        var loaded = try CLI.catching { try ConfigLoader.load(path: config) }
        if let database { loaded.databasePath = ConfigLoader.resolve(database, in: FileManager.default.currentDirectoryPath) }
        return loaded
    }

    /// The database path, from --database or the config, for commands that only read.
    func databasePath() throws -> String {
        if let database { return ConfigLoader.resolve(database, in: FileManager.default.currentDirectoryPath) }
        return try load().databasePath
    }
}

/// `--format text|json` for commands whose output is either for people or for scripts.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
