import ArgumentParser
import AsyncHTTPClient
import CozeAPI
import CozeAudit
import Foundation

extension CozeAuditCommand {
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Obtain an OAuth user token for an `oauth:` credential with the device-code flow.",
            discussion: """
                Prints a code and a URL; open the URL, enter the code, approve. The token file named in the
                config is written atomically with mode 0600; runs refresh it when it expires.
                Example: coze-audit login enterprise-user --config coze-audit.yaml
                """)

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The name of an oauth credential in the config.")
        var name: String

        func run() async throws {
            let config = try options.load()
            guard let credential = config.credentials.first(where: { $0.name == name }) else {
                throw CLI.fail("no credential named \(name) in \(options.config)", code: 2)
            }
            guard case .oauth(let oauth) = credential.auth else {
                throw CLI.fail("\(name) is a \(credential.auth.kind) credential; login is for oauth credentials", code: 2)
            }
            let httpClient = CozeHTTPClient.make(baseURL: config.baseURL)
            do {
                let login = DeviceLogin(baseURL: config.baseURL, clientID: oauth.clientID, httpClient: httpClient)
                let authorization = try await login.start()
                print("Open \(authorization.verificationURL)")
                print("and enter the code \(authorization.userCode) (valid \(authorization.expiresIn / 60) min). Waiting…")
                let token = try await login.waitForToken(authorization)
                try OAuthTokenFile.write(token, to: oauth.tokenFile)
                try await httpClient.shutdown()
                print("wrote \(oauth.tokenFile) (mode 0600); the token expires \(ISO8601DateFormatter().string(from: token.expiresAt))")
            } catch {
                try? await httpClient.shutdown()
                throw error
            }
        }
    }
}
