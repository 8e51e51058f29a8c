/// A tiny SQL lexer for what `query` must know before running user SQL: which words are
/// keywords (not inside strings, identifiers or comments) and which `:name` parameters appear.
enum SQLText {
    /// The SQL with string literals, quoted identifiers and comments replaced by spaces, so a
    /// keyword search or parameter scan cannot be fooled by `'…:x…'` or `-- it's`.
    static func code(_ sql: String) -> String {
        var out = ""
        var scalars = Array(sql.unicodeScalars)[...]
        while let c = scalars.first {
            if c == "'" || c == "\"" || c == "`" || c == "[" {
                let close: Unicode.Scalar = c == "[" ? "]" : c
                scalars = scalars.dropFirst()
                while let d = scalars.first {
                    scalars = scalars.dropFirst()
                    if d == close {
                        // A doubled quote is an escaped quote inside the literal.
                        if close != "]", scalars.first == close { scalars = scalars.dropFirst(); continue }
                        break
                    }
                }
                out += " "
            } else if c == "-", scalars.dropFirst().first == "-" {
                while let d = scalars.first, d != "\n" { scalars = scalars.dropFirst() }
                out += " "
            } else if c == "/", scalars.dropFirst().first == "*" {
                scalars = scalars.dropFirst(2)
                while !scalars.isEmpty, !(scalars.first == "*" && scalars.dropFirst().first == "/") { scalars = scalars.dropFirst() }
                scalars = scalars.dropFirst(2)
                out += " "
            } else {
                out.unicodeScalars.append(c)
                scalars = scalars.dropFirst()
            }
        }
        return out
    }

    /// Upper-cased words of the code part.
    static func keywords(_ sql: String) -> Set<String> {
        Set(code(sql).split(whereSeparator: { !($0.isLetter || $0 == "_") }).map { $0.uppercased() })
    }
}
