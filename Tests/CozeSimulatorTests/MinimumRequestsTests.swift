import CozeSimulator
import Foundation
import Testing

/// `Scenario.minimumAuditRequests`: how a denied endpoint is counted, and the tenant of every
/// credential type that `coze-audit bench` audits.
@Suite("Minimum requests of a denied endpoint")
struct MinimumRequestsTests {
    static let enterprise = "volcano_2105850123"

    @Test("withEveryCredentialType: nine credentials, PATs, two JWT apps and an OAuth user, fixed tokens")
    func everyCredentialType() {
        let base = Scenario.generate(workspaces: 10, botsPerWorkspace: 2, conversationsPerBot: 2, voices: 3, seed: 1)
        let tenant = base.withEveryCredentialType()
        #expect(tenant.credentials.count + tenant.jwtApps.count == 9)
        #expect(tenant.credentials.filter { $0.type == "pat" }.map(\.name)
            == ["personal-pat", "old-pat-2024", "team-pat-2024", "enterprise-pat", "enterprise-scoped-pat", "ci-pat"])
        #expect(tenant.credentials.filter { $0.type == "oauth" }.map(\.token) == [Scenario.generatedOAuthUserToken])
        #expect(tenant.jwtApps.map(\.name) == ["enterprise-app", "personal-app"])
        #expect(tenant.jwtApps.allSatisfy { $0.keyID == DemoAppKey.keyID && $0.publicKeyPEM == DemoAppKey.publicKeyPEM })
        // The apps are counted by name; nothing of the base tenant's own credentials changes.
        let minimum = tenant.minimumAuditRequests()
        #expect(Set(minimum.keys) == Set(tenant.credentials.map(\.name) + tenant.jwtApps.map(\.name)))
        for (name, count) in base.minimumAuditRequests() { #expect(minimum[name] == count, "\(name)") }
        // The enterprise JWT app sees what the enterprise PAT sees; the PAT's refused voice listing
        // costs one request, as the app's one page of voices does.
        #expect(minimum["enterprise-app"] == minimum["enterprise-pat"])
    }

    @Test("a denied conversations endpoint: once per credential, two with the two-workspace rule, one per parent asking every parent")
    func deniedConversations() {
        let base = Scenario.generate(workspaces: 12, botsPerWorkspace: 3, conversationsPerBot: 2, voices: 3, seed: 14).withEveryCredentialType()
        let tenant = base.denying("GET /v1/conversations", to: "enterprise-app")
        let workspaces = tenant.workspaces.filter { $0.accountID == Self.enterprise }.map(\.id)
        #expect(workspaces.count >= 2)
        let bots = tenant.bots.filter { workspaces.contains($0.workspaceID) }.count
        // Without the gap each bot's two connector listings fit one page each (2 conversations per bot).
        let full = base.minimumAuditRequests()["enterprise-app"] ?? 0
        #expect(tenant.minimumAuditRequests()["enterprise-app"] == full - 2 * bots + 1)
        #expect(tenant.minimumAuditRequests(denied: .establishedInTwoWorkspaces)["enterprise-app"] == full - 2 * bots + 2)
        #expect(tenant.minimumAuditRequests(denied: .everyParent)["enterprise-app"] == full)
        // Every other credential is counted the same in every mode.
        for mode in [Scenario.DeniedEndpointCount.once, .establishedInTwoWorkspaces, .everyParent] {
            let counts = tenant.minimumAuditRequests(denied: mode)
            for (name, count) in base.minimumAuditRequests() where name != "enterprise-app" { #expect(counts[name] == count, "\(name)") }
        }
    }

    @Test("a denial in a single workspace cannot be established: every listing counts; a denied bots endpoint lists no conversations")
    func singleWorkspaceAndBots() {
        let base = Scenario.generate(workspaces: 12, botsPerWorkspace: 3, conversationsPerBot: 2, voices: 3, seed: 14).withEveryCredentialType()
        // ci-pat sees the personal space only: its three bots' six listings are all needed.
        let ci = base.denying("GET /v1/conversations", to: "ci-pat")
        let full = base.minimumAuditRequests()["ci-pat"] ?? 0
        #expect(ci.minimumAuditRequests()["ci-pat"] == full - 6 + 1)
        #expect(ci.minimumAuditRequests(denied: .establishedInTwoWorkspaces)["ci-pat"] == full)
        // enterprise-user sees three workspaces: users/me, workspaces, each workspace's apps and
        // workflows of two modes (3 × 3, none denied), then one (or two) bots listings, voices.
        let noBots = base.denying("GET /v1/bots", to: "enterprise-user")
        #expect(noBots.minimumAuditRequests()["enterprise-user"] == 1 + 1 + 9 + 1 + 1)
        #expect(noBots.minimumAuditRequests(denied: .establishedInTwoWorkspaces)["enterprise-user"] == 1 + 1 + 9 + 2 + 1)
        #expect(noBots.minimumAuditRequests(denied: .everyParent)["enterprise-user"] == 1 + 1 + 9 + 3 + 1)
    }
}
