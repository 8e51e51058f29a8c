import CozeSimulator
import Foundation
import Testing

@testable import CozeAPI

/// The JWT our client signs, checked by an implementation that shares no code with it: the
/// `openssl` command line verifies the RS256 signature, and Foundation's JSON parser reads the
/// header and claims (docs/openapi.md §8.1). The simulator's own verifier uses jwt-kit like the
/// client, so it alone could not catch a mistake both sides make.
@Suite("JWT checked independently")
struct JWTIndependentVerificationTests {
    static let clientID = "1150000000001"

    /// The bundled scenario plus a JWT app registered with the demo public key.
    static func scenario() throws -> Scenario {
        var scenario = try Scenario.bundled()
        scenario.jwtApps = [
            Scenario.JWTApp(name: "verified-app", clientID: clientID, keyID: DemoAppKey.keyID, publicKeyPEM: DemoAppKey.publicKeyPEM,
                            enterpriseID: "volcano_2105850123"),
        ]
        return scenario
    }

    static func auth(sessionName: String? = nil, at date: Date = Date(timeIntervalSince1970: 1_800_000_000)) throws -> JWTAppAuth {
        try JWTAppAuth(clientID: clientID, keyID: DemoAppKey.keyID, privateKeyPEM: DemoAppKey.privateKeyPEM,
                       sessionName: sessionName, now: { date })
    }

    @Test("openssl verifies the assertion for the simulator's URL with the app's public key; a tampered payload fails")
    func opensslVerifies() async throws {
        try await SimulatorFixture.with(try Self.scenario()) { sim in
            let jwt = try await Self.auth().signedAssertion(baseURL: sim.baseURL)
            let parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            try #require(parts.count == 3)
            for part in parts {
                #expect(part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "unpadded base64url: \(part)")
            }
            let signature = try #require(Base64URL.decode(parts[2]))

            let dir = try ScratchDirectory()
            defer { dir.remove() }
            let privateKey = try dir.write("private.pem", Data(DemoAppKey.privateKeyPEM.utf8))
            let registeredKey = try dir.write("registered.pem", Data(DemoAppKey.publicKeyPEM.utf8))
            // The public half as openssl derives it from the private key the client signed with.
            let derivedKey = dir.file("derived.pem")
            let derive = try await OpenSSL.run(["pkey", "-in", privateKey, "-pubout", "-out", derivedKey])
            try #require(derive.status == 0, "openssl pkey: \(derive.output)")
            let signatureFile = try dir.write("jwt.sig", signature)
            let signedData = try dir.write("jwt.data", Data((parts[0] + "." + parts[1]).utf8))

            for key in [registeredKey, derivedKey] {
                let verified = try await OpenSSL.run(["dgst", "-sha256", "-verify", key, "-signature", signatureFile, signedData])
                #expect(verified.status == 0)
                #expect(verified.output.contains("Verified OK"), "openssl said: \(verified.output)")
            }

            // Negative controls: another issuer under the same signature, and one flipped signature bit.
            var claims = try Self.object(parts[1])
            claims["iss"] = "9999999999999"
            let forgedPayload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
            let tampered = try dir.write("tampered.data", Data((parts[0] + "." + forgedPayload).utf8))
            let rejected = try await OpenSSL.run(["dgst", "-sha256", "-verify", registeredKey, "-signature", signatureFile, tampered])
            #expect(rejected.status != 0)
            #expect(!rejected.output.contains("Verified OK"))
            #expect(rejected.output.contains("Verification failure"), "openssl said: \(rejected.output)")

            var flipped = signature
            flipped[flipped.startIndex + 17] ^= 0x01
            let flippedFile = try dir.write("flipped.sig", flipped)
            let badSignature = try await OpenSSL.run(["dgst", "-sha256", "-verify", registeredKey, "-signature", flippedFile, signedData])
            #expect(badSignature.status != 0)
            #expect(!badSignature.output.contains("Verified OK"))

            // And the simulator's token endpoint accepts what openssl accepted.
            let client = sim.client(auth: try JWTAppAuth(
                clientID: Self.clientID, keyID: DemoAppKey.keyID, privateKeyPEM: DemoAppKey.privateKeyPEM))
            _ = try await client.currentUser()
            #expect(sim.log("/api/permission/oauth2/token").map { "\($0.httpStatus) \($0.credential ?? "-")" } == ["200 verified-app"])
        }
    }

    @Test("the header is exactly alg RS256, typ JWT and kid; the claims exactly iss, aud, iat, exp, jti")
    func headerAndClaims() async throws {
        let issuedAt: Int64 = 1_800_000_000
        let auth = try Self.auth(at: Date(timeIntervalSince1970: TimeInterval(issuedAt)))
        let baseURL = "http://127.0.0.1:51234/"
        let first = try await auth.signedAssertion(baseURL: baseURL)
        let second = try await auth.signedAssertion(baseURL: baseURL)
        let parts = first.split(separator: ".").map(String.init)
        try #require(parts.count == 3)

        let header = try Self.object(parts[0])
        #expect(Set(header.keys) == ["alg", "typ", "kid"])
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == DemoAppKey.keyID)

        let claims = try Self.object(parts[1])
        #expect(Set(claims.keys) == ["iss", "aud", "iat", "exp", "jti"])
        #expect(claims["iss"] as? String == Self.clientID)
        #expect(claims["aud"] as? String == Self.audience(baseURL))
        #expect(claims["aud"] as? String == "127.0.0.1:51234")
        // Whole unix seconds, as JSON integers.
        let payloadText = try #require(Base64URL.decode(parts[1]).map { String(decoding: $0, as: UTF8.self) })
        #expect(payloadText.contains("\"iat\":\(issuedAt)"), "iat in \(payloadText)")
        let iat = try #require((claims["iat"] as? NSNumber)?.int64Value)
        let exp = try #require((claims["exp"] as? NSNumber)?.int64Value)
        #expect(iat == issuedAt)
        #expect(exp > iat)
        let jti = try #require(claims["jti"] as? String)
        #expect(jti.count >= 32)

        let secondClaims = try Self.object(String(second.split(separator: ".")[1]))
        let secondJTI = try #require(secondClaims["jti"] as? String)
        #expect(secondJTI.count >= 32)
        #expect(secondJTI != jti, "a JWT is single use: jti must differ")
    }

    @Test("session_name appears in the claims only when given; aud drops the scheme's default port")
    func sessionNameAndAudience() async throws {
        let withSession = try await Self.auth(sessionName: "customer-42").signedAssertion(baseURL: "https://api.coze.cn")
        let claims = try Self.object(String(withSession.split(separator: ".")[1]))
        #expect(Set(claims.keys) == ["iss", "aud", "iat", "exp", "jti", "session_name"])
        #expect(claims["session_name"] as? String == "customer-42")
        #expect(claims["aud"] as? String == "api.coze.cn")

        for baseURL in ["https://api.coze.com:443/", "http://localhost:80", "https://api.coze.cn:8443"] {
            let jwt = try await Self.auth().signedAssertion(baseURL: baseURL)
            let aud = try Self.object(String(jwt.split(separator: ".")[1]))["aud"] as? String
            #expect(aud == Self.audience(baseURL), "aud for \(baseURL)")
        }
        #expect(Self.audience("https://api.coze.cn:8443") == "api.coze.cn:8443")
    }

    /// host[:port] of a base URL, the port only when it is not the scheme's default (independent of JWTAssertion).
    static func audience(_ baseURL: String) -> String? {
        guard let components = URLComponents(string: baseURL), let host = components.host else { return nil }
        guard let port = components.port else { return host }
        let defaultPort = ["http": 80, "https": 443][components.scheme?.lowercased() ?? ""]
        return port == defaultPort ? host : "\(host):\(port)"
    }

    static func object(_ segment: String) throws -> [String: Any] {
        let data = try #require(Base64URL.decode(segment), "not base64url: \(segment)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "not a JSON object")
    }
}

/// RFC 7515 base64url without padding.
enum Base64URL {
    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Runs the `openssl` command line. `Process` blocks a thread until the child exits, so it runs on
/// a Dispatch queue, never on the cooperative pool.
enum OpenSSL {
    struct Outcome: Sendable {
        var status: Int32
        /// stdout and stderr together.
        var output: String
    }

    static func run(_ arguments: [String]) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = ["openssl"] + arguments
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = pipe
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// A fresh folder under the temporary directory for files handed to openssl.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("coze-jwt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ data: Data) throws -> String {
        let file = file(name)
        try data.write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
