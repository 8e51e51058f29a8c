extension AuditReport {
    /// The "not observed by" evidence of one finding kind, each item once (text and HTML print it
    /// once per kind; the JSON keeps it on every finding as `enterprise_not_observed`). It is the
    /// same for every finding of a resource type (``ReportBuilder`` reads it per kind of listing,
    /// not per parent), so rows repeat nothing; an item that holds for some of the kind's resource
    /// types only names them: `enterprise-pat: GET /v1/audio/voices answered 4101 (voice)`.
    public func notObservedBy(kind: String) -> [String] {
        let findings = self.findings.filter { $0.kind == kind }
        let allTypes = Set(findings.compactMap(\.resourceType))
        var items: [String] = []
        var types: [String: Set<String>] = [:]
        for finding in findings {
            for item in finding.enterpriseNotObserved ?? [] {
                if types[item] == nil { items.append(item) }
                types[item, default: []].insert(finding.resourceType ?? "")
            }
        }
        return items.map { item in
            let only = types[item] ?? []
            return only == allTypes ? item : "\(item) (\(only.sorted().joined(separator: ", ")))"
        }
    }
}
