import CozeAudit
import CozeSimulator
import Foundation

/// Glue between a simulator scenario and a runnable configuration: the scenario's PATs become
/// token files, their accounts decide the side.
enum DemoSetup {
    static func writeConfig(for scenario: Scenario, baseURL: String, directory: String) throws -> String {
        let enterprise = Set(scenario.accounts.filter(\.isEnterprise).map(\.id))
        let pats = scenario.credentials.map { credential in
            ExampleConfig.PATCredential(name: credential.name, side: enterprise.contains(credential.accountID) ? .enterprise : .personal,
                                        token: credential.token)
        }
        return try ExampleConfig.writeRunnable(directory: directory, baseURL: baseURL, pats: pats)
    }
}
