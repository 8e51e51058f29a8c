import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preflight: validate the config and check that every credential authenticates. Writes nothing.",
            discussion: "Exit 0 when every credential authenticates, 3 otherwise.\nExample: coze-audit check --config coze-audit.yaml")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            let credentials = try CredentialResolver().resolve(config, configFile: options.config)
            let results = await Preflight.run(config: config, credentials: credentials)
            print("config \(options.config) is valid; base_url \(config.baseURL)")
            print(Preflight.connection(baseURL: config.baseURL))
            print(Preflight.text(results), terminator: "")
            if results.contains(where: { !$0.ok }) { throw ExitCode(3) }
        }
    }
}
