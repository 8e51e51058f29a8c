/// Makes API-supplied text safe for a terminal or a cron mail: control characters (newlines,
/// escape sequences) are shown escaped, and very long names are shortened.
public enum TextSafe {
    public static func clean(_ text: String, limit: Int = 80) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
        return out
    }
}
