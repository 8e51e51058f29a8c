import AuditReports
import Foundation
import Mustache

/// `report --format html`: one self-contained file (inline CSS and SVG, no script, no external
/// request) from `reports/summary.mustache` and its chart partial, filled from the typed
/// ``HTMLReportView``. Every API-supplied string goes through Mustache's `{{…}}` escaping; the
/// only unescaped insert is the tool's own CSS.
public enum HTMLRenderer {
    /// Rows shown per finding kind before folding into "… and N more": keeps a report of a very
    /// large enterprise small enough to open (the CSV has every row).
    public static let rowsPerGroup = 200

    public static func render(_ report: AuditReport, history: RunHistory? = nil, fallback: FallbackCheck? = nil) throws -> String {
        var library = MustacheLibrary()
        try library.register(AuditReports.summaryTemplate, named: "summary")
        try library.register(AuditReports.chartTemplate, named: "chart")
        let view = HTMLReportView(report, history: history, fallback: fallback, css: AuditReports.css)
        guard let html = library.render(view, withTemplate: "summary") else {
            throw HTMLRenderError.missingTemplate("summary")
        }
        return html
    }

    /// XML forbids most control characters even when escaped; a hostile name must not make the
    /// report unparseable. Very long names are shortened (the JSON keeps them whole).
    static func safe(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            let v = scalar.value
            // Mustache escapes per Character; "<" + U+0301 is one Character it would not escape.
            // A combining mark after markup-significant ASCII is dropped so "<" stands alone.
            if let previous, "<>&\"'".unicodeScalars.contains(previous),
               [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory) {
                continue
            }
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v <= 0xD7FF)
                || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
            out.append(allowed ? scalar : "\u{FFFD}")
        }
        let cleaned = String(out)
        return cleaned.count > 300 ? String(cleaned.prefix(299)) + "…" : cleaned
    }
}

enum HTMLRenderError: Error, CustomStringConvertible {
    case missingTemplate(String)

    var description: String {
        switch self {
        case .missingTemplate(let name): "the embedded HTML template \(name) is missing from this build"
        }
    }
}
