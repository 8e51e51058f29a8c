import Foundation
import FoundationXML

/// Strict XML well-formedness check. `XMLDocument(data:options:)` is not one on Linux: it
/// recovers from errors (it prints them and returns a repaired tree), so the report is parsed
/// with `XMLParser`, which stops at the first error.
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var text = ""
    private(set) var error: (any Error)?

    /// The document's character data if `markup` is well-formed XML, else the parser's error.
    static func parse(_ markup: String) -> Result<String, any Error> {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = check
        let ok = parser.parse()
        if let error = check.error ?? parser.parserError { return .failure(error) }
        guard ok else { return .failure(CocoaError(.coderReadCorrupt)) }
        return .success(check.text)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }
}
