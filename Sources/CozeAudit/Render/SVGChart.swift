import Foundation

/// Small inline SVG charts: no script, no external font or request, readable in light and dark
/// mode (text takes the page colour through CSS) and in print.
public enum SVGChart {
    public struct Series: Sendable {
        public var labels: [String]
        public var names: [String]
        /// values[x][series]; NaN = no data.
        public var values: [[Double]]
    }

    /// Twelve distinguishable colours (one per finding kind, with room), readable on light and dark.
    static let palette = ["#c0392b", "#e67e22", "#2e86c1", "#8e44ad", "#1e8449", "#7f8c8d", "#e84393", "#00897b",
                          "#f1c40f", "#5d4037", "#3949ab", "#9e9d24"]
    static let width = 720.0, height = 220.0, left = 44.0, right = 170.0, top = 12.0, bottom = 28.0

    static func xml(_ text: String) -> String {
        HTMLRenderer.safe(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func frame(_ body: String, series: Series, maxValue: Double, title: String, unit: String) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(xml(title))\">"
        let plotH = height - top - bottom
        for step in 0...4 {
            let v = maxValue * Double(step) / 4, y = top + plotH * (1 - Double(step) / 4)
            svg += "<line class=\"axis\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" stroke-width=\"0.5\"/>"
            svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">\(fmt(v))\(unit)</text>"
        }
        svg += body
        for (i, name) in series.names.enumerated() {
            let y = top + 14 * Double(i) + 6
            svg += "<rect x=\"\(fmt(width - right + 12))\" y=\"\(fmt(y - 8))\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            svg += "<text x=\"\(fmt(width - right + 27))\" y=\"\(fmt(y + 1))\">\(xml(String(name.prefix(26))))</text>"
        }
        return svg + "</svg>"
    }

    static func xPositions(_ count: Int) -> [Double] {
        let plotW = width - left - right
        return (0..<count).map { left + plotW * (Double($0) + 0.5) / Double(max(count, 1)) }
    }

    static func xLabels(_ labels: [String], _ xs: [Double]) -> String {
        let every = max(1, labels.count / 12)
        return zip(labels, xs).enumerated().filter { $0.offset % every == 0 }.map { _, pair in
            "<text x=\"\(fmt(pair.1))\" y=\"\(fmt(height - 8))\" text-anchor=\"middle\">\(xml(pair.0))</text>"
        }.joined()
    }

    /// Findings per kind per run, stacked.
    public static func stackedBars(_ series: Series) -> String {
        let totals = series.values.map { $0.filter { !$0.isNaN }.reduce(0, +) }
        let maxValue = niceCeiling(totals.max() ?? 0)
        let xs = xPositions(series.labels.count)
        let plotH = height - top - bottom
        let barW = min(36, (width - left - right) / Double(max(series.labels.count, 1)) * 0.7)
        var body = ""
        for (x, values) in zip(xs, series.values) {
            var y = top + plotH
            for (i, value) in values.enumerated() where value > 0 {
                let h = plotH * value / maxValue
                y -= h
                body += "<rect x=\"\(fmt(x - barW / 2))\" y=\"\(fmt(y))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\" fill=\"\(palette[i % palette.count])\"><title>\(xml(series.names[i])): \(Int(value))</title></rect>"
            }
        }
        body += xLabels(series.labels, xs)
        return frame(body, series: series, maxValue: maxValue, title: "Findings per run, by kind", unit: "")
    }

    /// Success rate (percent) per credential per run.
    public static func lines(_ series: Series) -> String {
        let xs = xPositions(series.labels.count)
        let plotH = height - top - bottom
        var body = ""
        for i in series.names.indices {
            let points = zip(xs, series.values).compactMap { x, values -> String? in
                let v = values[i]
                return v.isNaN ? nil : "\(fmt(x)),\(fmt(top + plotH * (1 - v / 100)))"
            }
            let colour = palette[i % palette.count]
            if points.count > 1 {
                body += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            }
            for point in points {
                let xy = point.split(separator: ",")
                body += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(colour)\"><title>\(xml(series.names[i]))</title></circle>"
            }
        }
        body += xLabels(series.labels, xs)
        return frame(body, series: series, maxValue: 100, title: "Request success rate per credential", unit: "%")
    }

    static func niceCeiling(_ value: Double) -> Double {
        guard value > 4 else { return 4 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
