/// How many findings of one kind and resource type a run has: all, new, open (not accepted),
/// new and open.
public struct FindingTally: Sendable, Equatable {
    public var kind: String
    public var resourceType: String?
    public var total: Int
    public var new: Int
    public var open: Int
    public var newOpen: Int

    public init(kind: String, resourceType: String? = nil, total: Int = 0, new: Int = 0, open: Int = 0, newOpen: Int = 0) {
        self.kind = kind
        self.resourceType = resourceType
        self.total = total
        self.new = new
        self.open = open
        self.newOpen = newOpen
    }

    static func + (lhs: FindingTally, rhs: FindingTally) -> FindingTally {
        FindingTally(kind: lhs.kind, resourceType: lhs.resourceType == rhs.resourceType ? lhs.resourceType : nil,
                     total: lhs.total + rhs.total, new: lhs.new + rhs.new, open: lhs.open + rhs.open,
                     newOpen: lhs.newOpen + rhs.newOpen)
    }
}

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
                     open: finding.isOpen ? 1 : 0, newOpen: finding.new && finding.isOpen ? 1 : 0)
    }
}
