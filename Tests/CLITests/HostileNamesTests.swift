import CozeSimulator
import Foundation
import FoundationXML
import Testing

/// Whatever names, ids and messages the API returns, the HTML report cannot be made to run script:
/// the built binary crawls a simulator whose resources carry markup, and the report is parsed.
@Suite("hostile names end to end", .serialized)
struct HostileNamesTests {
    /// Elements and attributes of an XHTML document, or the parser's error.
    final class Scan: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        var error: (any Error)?

        static func parse(_ markup: String) -> Scan {
            let scan = Scan()
            let parser = XMLParser(data: Data(markup.utf8))
            parser.delegate = scan
            if !parser.parse(), scan.error == nil { scan.error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
            return scan
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }
    }

    static let payloads = [
        "<script>alert('workspace')</script>",
        "<img src=x onerror=alert(1)>",
        "</td></tr></table><script>alert(2)</script>",
        "\" onmouseover=\"alert(3)",
        "javascript:alert(4)",
        "<svg onload=alert(5)>",
        "{{{triple}}} <!-- ]]> &amp;",
    ]

    static func scenario() throws -> Scenario {
        var scenario = try Scenario.bundled()
        scenario.workspaces[0].name = payloads[0]                      // 个人空间: seen by personal only
        scenario.bots[0].name = payloads[1]                            // Personal Helper
        scenario.conversations[0].name = payloads[2]                   // a personal conversation
        scenario.voices[0].name = payloads[3]                          // a personal custom voice
        scenario.workspaces[3].name = payloads[4]                      // Research Lab
        scenario.bots[5].name = payloads[5]                            // Lab Explorer
        scenario.conversations[2].name = payloads[6]
        // An id the API sends as a string may carry markup too.
        scenario.conversations.append(Scenario.Conversation(
            id: "7420000000000000099\"><script>alert(6)</script>", botID: "7410000000000000001", accountID: "2105850000001",
            connectorID: "1024", name: "<b>bold</b>", createdAt: 1_719_000_900))
        // And a server message (the enterprise voices listing is denied with markup in msg).
        scenario.faults = [Scenario.Fault(endpoint: "GET /v1/audio/voices", credential: "enterprise-pat", kind: .apiError,
                                          status: 403, code: 4101, message: "no permission <script>alert(7)</script>")]
        return scenario
    }

    @Test("names, ids and messages with markup from the API come out of the HTML report as text, never as script or handlers")
    func htmlRunsNoScript() async throws {
        try await withFixture(try Self.scenario(), credentials: ["personal-pat", "enterprise-pat"]) { fixture in
            let run = try await fixture.cli(["run"])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let output = try await fixture.cli(["report", "--format", "html", "-o", "report.html"])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let html = try String(contentsOfFile: fixture.directory + "/report.html", encoding: .utf8)
            let scan = Scan.parse(html)
            #expect(scan.error == nil, "not well-formed: \(String(describing: scan.error))")
            #expect(!html.lowercased().contains("<script"))
            for element in scan.elements {
                #expect(!["script", "img", "iframe", "object", "embed", "base", "form"].contains(element.name.lowercased()),
                        "element <\(element.name)>")
                for (name, value) in element.attributes {
                    #expect(!name.lowercased().hasPrefix("on"), "event handler \(name)=\"\(value)\" on <\(element.name)>")
                    #expect(!value.lowercased().contains("javascript:"), "\(name)=\"\(value)\" on <\(element.name)>")
                }
            }
            // The payloads are there, as text a browser shows (shortened names are allowed to be cut).
            for payload in [Self.payloads[1], Self.payloads[2]] {
                #expect(scan.text.contains(payload), "\(payload) is not shown as text")
            }
            #expect(scan.text.contains("7420000000000000099\"><script>alert(6)</script>"))
        }
    }
}
