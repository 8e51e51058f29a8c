import Foundation

/// Small inline SVG charts: no script, no external font or request, readable in light and dark
/// mode (text takes the page colour through CSS) and in print. The geometry is computed here;
/// the markup is `reports/chart.mustache`, so every label goes through the template's escaping
/// like any other API-supplied text (a credential or kind name is never spliced into SVG).
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
    static var plotHeight: Double { height - top - bottom }

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// The frame every chart shares: grid lines with their values, x labels, legend.
    static func frame(_ series: Series, xs: [Double], maxValue: Double, title: String, unit: String) -> ChartView {
        var chart = ChartView(title: HTMLRenderer.safe(title), width: fmt(width), height: fmt(height))
        chart.grid = (0...4).map { step in
            let y = top + plotHeight * (1 - Double(step) / 4)
            return .init(x1: fmt(left), x2: fmt(width - right), y: fmt(y), labelX: fmt(left - 6), labelY: fmt(y + 4),
                         label: fmt(maxValue * Double(step) / 4) + unit)
        }
        let every = max(1, series.labels.count / 12)
        chart.xLabels = zip(series.labels, xs).enumerated().filter { $0.offset % every == 0 }.map { _, pair in
            .init(x: fmt(pair.1), y: fmt(height - 8), text: HTMLRenderer.safe(pair.0))
        }
        chart.legend = series.names.enumerated().map { i, name in
            let y = top + 14 * Double(i) + 6
            return .init(boxX: fmt(width - right + 12), boxY: fmt(y - 8), fill: colour(i), textX: fmt(width - right + 27),
                         textY: fmt(y + 1), name: HTMLRenderer.safe(String(name.prefix(26))))
        }
        return chart
    }

    static func xPositions(_ count: Int) -> [Double] {
        let plotW = width - left - right
        return (0..<count).map { left + plotW * (Double($0) + 0.5) / Double(max(count, 1)) }
    }

    /// Findings per kind per run, stacked.
    public static func stackedBars(_ series: Series) -> ChartView {
        let totals = series.values.map { $0.filter { !$0.isNaN }.reduce(0, +) }
        let maxValue = niceCeiling(totals.max() ?? 0)
        let xs = xPositions(series.labels.count)
        let barW = min(36, (width - left - right) / Double(max(series.labels.count, 1)) * 0.7)
        var chart = frame(series, xs: xs, maxValue: maxValue, title: "Findings per run, by kind", unit: "")
        for (x, values) in zip(xs, series.values) {
            var y = top + plotHeight
            for (i, value) in values.enumerated() where value > 0 {
                let h = plotHeight * value / maxValue
                y -= h
                chart.bars.append(.init(x: fmt(x - barW / 2), y: fmt(y), width: fmt(barW), height: fmt(h), fill: colour(i),
                                        title: HTMLRenderer.safe(series.names[i]) + ": \(Int(value))"))
            }
        }
        return chart
    }

    /// Success rate (percent) per credential per run.
    public static func lines(_ series: Series) -> ChartView {
        let xs = xPositions(series.labels.count)
        var chart = frame(series, xs: xs, maxValue: 100, title: "Request success rate per credential", unit: "%")
        for i in series.names.indices {
            let points = zip(xs, series.values).compactMap { x, values -> (String, String)? in
                let v = values[i]
                return v.isNaN ? nil : (fmt(x), fmt(top + plotHeight * (1 - v / 100)))
            }
            // A line needs two points; each point is drawn (and titled) even when alone.
            chart.series.append(.init(
                line: points.count > 1 ? .init(stroke: colour(i), points: points.map { "\($0),\($1)" }.joined(separator: " ")) : nil,
                points: points.map { .init(cx: $0, cy: $1, fill: colour(i), title: HTMLRenderer.safe(series.names[i])) }))
        }
        return chart
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

/// What `reports/chart.mustache` draws: numbers already formatted, texts raw (the template escapes).
public struct ChartView: Sendable {
    public struct GridLine: Sendable { var x1, x2, y, labelX, labelY, label: String }
    public struct Bar: Sendable { var x, y, width, height, fill, title: String }
    public struct Line: Sendable { var stroke, points: String }
    public struct Point: Sendable { var cx, cy, fill, title: String }
    /// One credential of the line chart: its line (when it has two points or more) and its points.
    public struct LineSeries: Sendable { var line: Line?; var points: [Point] }
    public struct Label: Sendable { var x, y, text: String }
    public struct LegendEntry: Sendable { var boxX, boxY, fill, textX, textY, name: String }

    var title: String
    var width: String
    var height: String
    var grid: [GridLine] = []
    var bars: [Bar] = []
    var series: [LineSeries] = []
    var xLabels: [Label] = []
    var legend: [LegendEntry] = []
}
