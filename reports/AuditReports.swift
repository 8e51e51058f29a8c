/// The HTML template and stylesheet, embedded so a copied binary needs no resource bundle.
public enum AuditReports {
    public static var summaryTemplate: String { String(decoding: PackageResources.summary_mustache, as: UTF8.self) }
    /// The SVG chart partial (`{{> chart}}`), one line: it is inlined into the page.
    public static var chartTemplate: String { String(decoding: PackageResources.chart_mustache, as: UTF8.self) }
    public static var css: String { String(decoding: PackageResources.report_css, as: UTF8.self) }
}
