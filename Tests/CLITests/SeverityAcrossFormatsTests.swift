import CozeAudit
import Foundation
import Testing

/// Severity has one source (the kind's SQL): the JSON and CSV print it per finding, the HTML card
/// of a kind shows the highest of its findings. On the migration scenario, whose stale PATs are
/// one `medium` (invalid) and one `low` (superseded), the three formats must agree.
@Suite("one severity in every format", .serialized)
struct SeverityAcrossFormatsTests {
    @Test("JSON and CSV give each finding the same severity; each HTML card shows its kind's highest")
    func sameSeverityEverywhere() async throws {
        let (scenario, _, enterprise) = try MigrationChecksTests.beforeMigration()
        try await withFixture(scenario) { fixture in
            try await fixture.addAppCredentials()
            #expect(try await fixture.cli(["run"]).status == 0)
            MigrationChecksTests.migrate(fixture, to: enterprise)
            #expect(try await fixture.cli(["run"]).status == 0)

            let json = try await fixture.findings()
            let jsonSeverity = Dictionary(uniqueKeysWithValues: json.map { ($0["key"] as! String, $0["severity"] as! String) })
            // The scenario must exercise a kind with two severities, or the card check proves little.
            #expect(Set(json.filter { $0["kind"] as? String == "stale_pat" }.map { $0["severity"] as? String }) == ["medium", "low"])

            let csv = try await fixture.cli(["report", "--format", "csv"])
            let rows = Self.parseCSV(csv.stdout)
            let header = try #require(rows.first)
            let key = try #require(header.firstIndex(of: "key")), severity = try #require(header.firstIndex(of: "severity"))
            let csvSeverity = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[key], $0[severity]) })
            #expect(csvSeverity == jsonSeverity)

            let html = try await fixture.cli(["report", "--format", "html"]).stdout
            let order = FindingSeverity.allCases.map(\.rawValue)
            for kind in FindingKind.allCases {
                let severities = json.filter { $0["kind"] as? String == kind.rawValue }.compactMap { $0["severity"] as? String }
                let highest = severities.max { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! } ?? "info"
                let card = "<div class=\"card \(highest)\"><div class=\"n\">\(severities.count)</div><div class=\"t\">\(kind.title)</div>"
                #expect(html.contains(card), "\(kind.rawValue): no card \(card)")
            }
        }
    }

    /// RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append(scalars.removeFirst()) } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r" { continue }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
