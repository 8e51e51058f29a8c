/// Counts that stay right when `findings` was loaded with a per-kind limit. A report built
/// without tallies (tests, decoded JSON) counts its `findings` instead.
extension AuditReport {
    /// The findings of `kind` (of one resource type if given).
    public func tally(of kind: String, resourceType: String? = nil) -> FindingTally {
        let sources = tallies.isEmpty ? findings.map(Self.tally(of:)) : tallies
        return sources.filter { $0.kind == kind && (resourceType == nil || $0.resourceType == resourceType) }
            .reduce(FindingTally(kind: kind, resourceType: resourceType), +)
    }

    /// Every finding of the run.
    public var tallyOfAll: FindingTally {
        let sources = tallies.isEmpty ? findings.map(Self.tally(of:)) : tallies
        return sources.reduce(FindingTally(kind: ""), +)
    }

    static func tally(of finding: Finding) -> FindingTally {
        FindingTally(kind: finding.kind, resourceType: finding.resourceType, total: 1, new: finding.new ? 1 : 0,
                     open: finding.isOpen ? 1 : 0, newOpen: finding.new && finding.isOpen ? 1 : 0,
                     severity: FindingSeverity(rawValue: finding.severity))
    }
}
