/// How many findings of one kind and resource type a run has: all, new, open (not accepted),
/// new and open.
public struct FindingTally: Sendable, Equatable {
    public var kind: String
    public var resourceType: String?
    public var total: Int
    public var new: Int
    public var open: Int
    public var newOpen: Int
    /// The highest severity among them (nil: none), as their SQL computed it.
    public var severity: FindingSeverity?

    public init(kind: String, resourceType: String? = nil, total: Int = 0, new: Int = 0, open: Int = 0, newOpen: Int = 0,
                severity: FindingSeverity? = nil) {
        self.kind = kind
        self.resourceType = resourceType
        self.total = total
        self.new = new
        self.open = open
        self.newOpen = newOpen
        self.severity = severity
    }

    static func + (lhs: FindingTally, rhs: FindingTally) -> FindingTally {
        FindingTally(kind: lhs.kind, resourceType: lhs.resourceType == rhs.resourceType ? lhs.resourceType : nil,
                     total: lhs.total + rhs.total, new: lhs.new + rhs.new, open: lhs.open + rhs.open,
                     newOpen: lhs.newOpen + rhs.newOpen, severity: [lhs.severity, rhs.severity].compactMap { $0 }.max())
    }
}
