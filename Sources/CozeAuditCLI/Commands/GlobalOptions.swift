import ArgumentParser
import CozeAPI
import CozeAudit
import Foundation

/// Options every command that reads the configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the YAML configuration.")
    var config: String = "coze-audit.yaml"

    @Option(name: .long, help: "Use this SQLite file instead of the one named in the configuration.")
    var database: String?

    /// - Parameter connecting: the command may talk to `base_url`: its HTTP clients go through the
    ///   proxy the environment names for it (`HTTPS_PROXY`, `NO_PROXY`…), and a proxy variable that
    ///   cannot be used is a usage error (exit 2) rather than a silent direct connection.
    func load(connecting: Bool = true) throws -> AuditConfig {
        var loaded = try ConfigLoader.load(path: config)
        if let database { loaded.databasePath = ConfigLoader.resolve(database, in: FileManager.default.currentDirectoryPath) }
        LogSetup.apply(configLevel: loaded.logLevel)
        if connecting {
            if case .unusable(let variable, let problem)? = CozeHTTPClient.route(baseURL: loaded.baseURL) {
                throw CLI.fail("\(variable) cannot be used: \(problem)", code: 2)
            }
        }
        return loaded
    }

    /// The database path, from --database or the config, for commands that only read.
    func databasePath() throws -> String {
        if let database { return ConfigLoader.resolve(database, in: FileManager.default.currentDirectoryPath) }
        return try load(connecting: false).databasePath
    }
}

/// `--format text|json` for commands whose output is either for people or for scripts.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
