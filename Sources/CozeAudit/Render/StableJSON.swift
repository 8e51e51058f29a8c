import Foundation

/// Every JSON document coze-audit prints (`report`, `diff`, `fallback`, `doctor`): indented, keys
/// sorted and slashes unescaped, so the output is stable for diffs, golden files and `jq`.
public enum StableJSON {
    /// The document, ending with a newline.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
