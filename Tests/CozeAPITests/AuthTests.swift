import Testing

@testable import CozeAPI

@Suite("PAT auth")
struct PATAuthTests {
    @Test("the fingerprint is sha256: plus 12 hex characters of the token's SHA-256")
    func fingerprint() {
        // printf 'pat_secret' | sha256sum → eebcaa548afcc665…; surrounding whitespace (a file's newline) is ignored.
        let auth = PATAuth(token: "pat_secret\n")
        #expect(auth.fingerprint == "sha256:eebcaa548afc")
        #expect(auth.fingerprint == PATAuth(token: "pat_secret").fingerprint)
        #expect(auth.fingerprint != PATAuth(token: "pat_other").fingerprint)
    }

    @Test("description, debugDescription and dump never show the token")
    func noTokenInDescriptions() {
        let auth = PATAuth(token: "pat_supersecret")
        var dumped = ""
        dump(auth, to: &dumped)
        for text in ["\(auth)", String(reflecting: auth), dumped] {
            #expect(!text.contains("pat_supersecret"))
            #expect(text.contains(auth.fingerprint))
        }
    }
}
