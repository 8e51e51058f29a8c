import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `report --format junit`: one test case per finding kind, failing when that kind has open
/// (not accepted) findings, so CI dashboards show the audit like a test run. Built with
/// FoundationXML so that every name is escaped by the XML library, not by hand.
public enum JUnitRenderer {
    public static func render(_ report: AuditReport) -> String {
        let kinds = FindingKind.allCases
        let suite = XMLElement(name: "testsuite")
        var failures = 0
        for kind in kinds {
            let findings = report.findings.filter { $0.kind == kind.rawValue }
            let open = findings.filter(\.isOpen)
            let testcase = XMLElement(name: "testcase")
            testcase.addAttribute(attribute("classname", "coze-audit.\(kind.rawValue)"))
            testcase.addAttribute(attribute("name", kind.title))
            if !open.isEmpty {
                failures += 1
                let failure = XMLElement(name: "failure", stringValue: open.map { finding in
                    "\(finding.new ? "NEW " : "")\(HTMLRenderer.safe(TextRenderer.describe(finding)))"
                }.joined(separator: "\n") + "\n\nRemedy: " + kind.remedy)
                failure.addAttribute(attribute("type", kind.rawValue))
                failure.addAttribute(attribute("message", "\(open.count) \(kind.rawValue) finding\(open.count == 1 ? "" : "s") (\(open.filter(\.new).count) new)"))
                testcase.addChild(failure)
            }
            let accepted = findings.count - open.count
            if accepted > 0 {
                testcase.addChild(XMLElement(name: "system-out", stringValue: "\(accepted) accepted finding(s)"))
            }
            suite.addChild(testcase)
        }
        for (name, value) in [("name", "coze-audit run \(report.run.id)"), ("tests", String(kinds.count)),
                              ("failures", String(failures)), ("errors", report.run.status == "complete" ? "0" : "1"),
                              ("timestamp", report.run.startedAt)] {
            suite.addAttribute(attribute(name, value))
        }
        if report.run.status != "complete" {
            let error = XMLElement(name: "testcase")
            error.addAttribute(attribute("classname", "coze-audit.run"))
            error.addAttribute(attribute("name", "run completeness"))
            let detail = XMLElement(name: "error", stringValue: HTMLRenderer.safe(report.run.reason ?? report.run.status))
            detail.addAttribute(attribute("message", "run is \(report.run.status)"))
            error.addChild(detail)
            suite.addChild(error)
        }
        let root = XMLElement(name: "testsuites")
        root.addChild(suite)
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    static func attribute(_ name: String, _ value: String) -> XMLNode {
        XMLNode.attribute(withName: name, stringValue: HTMLRenderer.safe(value)) as! XMLNode
    }
}
