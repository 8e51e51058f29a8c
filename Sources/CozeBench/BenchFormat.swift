import Foundation

/// Number formatting for the benchmark's output: fixed precision, thousands separated, units.
enum BenchFormat {
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? grouped(Int(value)) : String(format: "%.1f", value)
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func seconds(_ duration: Duration) -> String {
        let s = duration.seconds
        return s < 10 ? String(format: "%.2f s", s) : String(format: "%.1f s", s)
    }

    static func bytes(_ count: Int) -> String {
        let value = Double(count)
        if value >= 1024 * 1024 * 1024 { return String(format: "%.2f GB", value / 1024 / 1024 / 1024) }
        if value >= 1024 * 1024 { return String(format: "%.1f MB", value / 1024 / 1024) }
        if value >= 1024 { return String(format: "%.1f kB", value / 1024) }
        return "\(count) B"
    }

    static func ratio(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f×", value) : value >= 10 ? String(format: "%.1f×", value) : String(format: "%.2f×", value)
    }

    static func rate(_ value: Double) -> String {
        grouped(Int(value.rounded())) + "/s"
    }

    /// Left column padded to `width`.
    static func row(_ label: String, _ value: String, width: Int = 22) -> String {
        "   " + label.padding(toLength: width, withPad: " ", startingAt: 0) + value
    }
}
