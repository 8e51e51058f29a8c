/// The HTML template and stylesheet, embedded so a copied binary needs no resource bundle.
public enum AuditReports {
    public static var summaryTemplate: String { String(decoding: PackageResources.summary_mustache, as: UTF8.self) }
    public static var css: String { String(decoding: PackageResources.report_css, as: UTF8.self) }
}
