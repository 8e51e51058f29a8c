import ArgumentParser
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented example configuration.",
            discussion: "Example: coze-audit init -o coze-audit.yaml")

        @Option(name: .shortAndLong, help: "Where to write it (an existing file is not overwritten).")
        var output = "coze-audit.yaml"

        func run() async throws {
            if FileManager.default.fileExists(atPath: output) {
                throw CLI.fail("\(output) exists; not overwriting it", code: 2)
            }
            try CLI.write(ExampleConfig.commented, to: output)
            print("wrote \(output); put your tokens in the variables or files it names, then: coze-audit check --config \(output)")
        }
    }
}
