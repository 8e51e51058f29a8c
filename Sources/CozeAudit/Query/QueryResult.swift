import Foundation

/// Rows of a query as text, rendered as an aligned table, RFC 4180 CSV, or JSON.
public struct QueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String?]]

    public enum Format: String, Sendable, CaseIterable { case table, csv, json }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: text()
        case .csv: csv()
        case .json: json()
        }
    }

    /// An aligned table; SQL NULL is written `missing` (`NULL` for `query`, `—` for `runs`).
    public func text(missing: String = "NULL") -> String {
        let cells = rows.map { $0.map { TextSafeCell.clean($0 ?? missing) } }
        let widths = columns.indices.map { i in ([columns[i].count] + cells.map { $0[i].count }).max() ?? 0 }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += cells.map(line)
        out.append("(\(rows.count) row\(rows.count == 1 ? "" : "s"))")
        return out.joined(separator: "\n") + "\n"
    }

    public func csv() -> String {
        func field(_ value: String?) -> String {
            guard let value else { return "" }
            // Scalars, not Characters: "\r\n" is one Character equal to neither "\r" nor "\n".
            let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        return ([columns.map(field).joined(separator: ",")] + rows.map { $0.map(field).joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }

    public func json() -> String {
        let objects = rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(columns, row.map { $0.map { $0 as Any } ?? NSNull() }))
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

enum TextSafeCell {
    static func clean(_ text: String) -> String { TextSafe.clean(text, limit: 120) }
}
