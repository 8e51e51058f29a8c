import Testing

@testable import CozeAPI

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers above 2^53 keep every digit through parse and serialize")
    func bigIntegersExact() throws {
        let text = #"{"id":7386483746374637463,"u":18446744073709551615,"huge":123456789012345678901234567890,"f":1.50e3}"#
        let value = try JSONValue(parsing: text)
        #expect(value["id"]?.idString == "7386483746374637463")
        #expect(value["u"]?.idString == "18446744073709551615")
        #expect(value["huge"]?.idString == "123456789012345678901234567890")
        #expect(value.jsonText == text)
    }

    @Test("member order and duplicate keys survive; lookups take the last duplicate")
    func orderAndDuplicates() throws {
        let value = try JSONValue(parsing: #"{"b":1,"a":2,"b":3}"#)
        #expect(value.jsonText == #"{"b":1,"a":2,"b":3}"#)
        #expect(value["b"]?.intValue == 3)
    }

    @Test("string escapes, surrogate pairs and raw UTF-8 decode and re-encode correctly")
    func stringEscapes() throws {
        let value = try JSONValue(parsing: #"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00","中文",""]"#)
        let strings = try #require(value.arrayValue).map { $0.stringValue }
        #expect(strings == ["a\"b\\c/d\n\té😀", "中文", ""])
        #expect(value.jsonText == #"["a\"b\\c/d\n\té😀","中文",""]"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test("control characters are escaped on output")
    func controlCharacters() throws {
        #expect(JSONValue.string("a\u{01}b").jsonText == #""a\u0001b""#)
    }

    @Test("non-JSON input is rejected", arguments: [
        "<html><body>502 Bad Gateway</body></html>", "", "{", #"{"a":1,}"#, "[1 2]", "01", "1.", "-", "tru",
        #""\ud800""#, "{} x", "NaN",
    ])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test("lenient accessors read numbers, numeric strings and booleans")
    func accessors() throws {
        let value = try JSONValue(parsing: #"{"t":"1700000000","n":1700000001,"f":1700000002.9,"b":1,"s":"false","e":""}"#)
        #expect(value["t"]?.int64Value == 1_700_000_000)
        #expect(value["n"]?.int64Value == 1_700_000_001)
        #expect(value["f"]?.int64Value == 1_700_000_002)
        #expect(value["b"]?.boolValue == true)
        #expect(value["s"]?.boolValue == false)
        #expect(value["e"]?.idString == nil)
        #expect(value["missing"] == nil)
    }
}
