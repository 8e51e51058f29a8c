/// Everything coze-audit knows about one finding kind, in one value, so that a kind is defined in
/// one place (``FindingKind/definition``) and every report derives from it: the query computed,
/// the titles and remedies, the table columns of the HTML report, the line of the text report and
/// the JUnit failure, the step of the remediation plan it feeds, and which evidence applies.
///
/// Severity is not here: the kind's SQL computes it per finding (a superseded PAT is `low`, an
/// invalid one `medium`); ``severities`` only states what the SQL may answer, and a test holds
/// the two together.
public struct FindingKindDefinition: Sendable {
    /// The heading of the kind's section, for people.
    public var title: String
    /// What to do, in the words of the Coze migration guide.
    public var remedy: String
    /// The text of `queries/<kind>.sql`, embedded in the binary.
    public var sql: String
    /// Every severity the SQL may compute, highest first.
    public var severities: [FindingSeverity]
    /// The columns of the kind's HTML table.
    public var columns: [FindingColumn]
    /// The finding on one line: the text report and the JUnit failure text.
    public var line: @Sendable (Finding) -> String
    /// What the kind adds to a step of the remediation plan, if anything.
    public var plan: PlanContribution?
    /// Whether the enterprise listings that were refused in the run are evidence for these
    /// findings ("not observed by …"): kinds that say the enterprise does not see a resource.
    public var enterpriseEvidence: Bool = false
    /// True whatever the API answered (an enterprise PAT, an OAuth user token): a failed run
    /// still reports these.
    public var fromConfigAlone: Bool = false
    /// The finding's `count` column means "resources only this credential sees".
    public var countsExclusiveResources: Bool = false
    /// The `details` JSON keys the report reads (decoding JSON for every row of a large run is
    /// the cost of a report, so only kinds that need it pay).
    public var detailKeys: Set<String> = []
    /// A last adjustment of the finding read from the store, for what depends on its values.
    public var finish: (@Sendable (inout Finding) -> Void)?
}

/// A finding's severity as the SQL computes it; ordered, so a kind's card shows the highest.
public enum FindingSeverity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One column of a kind's HTML table.
public struct FindingColumn: Sendable {
    public var header: String
    public var value: @Sendable (Finding) -> String

    public init(_ header: String, _ value: @escaping @Sendable (Finding) -> String) {
        self.header = header
        self.value = value
    }

    // The columns several kinds share.
    public static let type = FindingColumn("Type") { $0.resourceType ?? "" }
    public static let name = FindingColumn("Name") { $0.name ?? "" }
    public static let id = FindingColumn("ID") { $0.resourceID ?? "" }
    public static let place = FindingColumn("Where") { f in
        [f.bot.map { "bot \($0)" }, f.workspace.map { "workspace \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
    public static let seenBy = FindingColumn("Seen by") { ($0.seenBy ?? []).joined(separator: ", ") }
    public static let credential = FindingColumn("Credential") { $0.credential ?? "" }
    public static let endpoint = FindingColumn("Endpoint") { $0.endpoint ?? "" }
    public static let sinceRun = FindingColumn("Since run") { $0.firstSeenRun }
}

/// The four steps of the migration guide, in its order: switch callers, grant, observe, clean up.
public enum PlanStep: Int, Sendable, CaseIterable {
    case switchCallers, grant, observe, cleanUp
}

/// A sentence a kind adds to one step of the remediation plan, from the run's numbers.
public struct PlanContribution: Sendable {
    public var step: PlanStep
    /// nil: nothing to say for this run.
    public var sentence: @Sendable (PlanFacts) -> String?

    public init(_ step: PlanStep, _ sentence: @escaping @Sendable (PlanFacts) -> String?) {
        self.step = step
        self.sentence = sentence
    }
}

/// What the plan knows of one kind in a run: counted over every finding (a large report holds
/// only the first rows of each kind), and the credentials named by the findings it holds.
public struct PlanFacts: Sendable {
    public var total: Int
    public var byResourceType: [String: Int]
    public var credentials: [String]
    /// (resource type, name or id) of the findings loaded, in report order.
    public var resources: [(type: String, name: String)]

    public init(total: Int, byResourceType: [String: Int], credentials: [String], resources: [(type: String, name: String)] = []) {
        self.total = total
        self.byResourceType = byResourceType
        self.credentials = credentials
        self.resources = resources
    }

    /// The names of the findings of one resource type, each once.
    public func names(ofType type: String) -> [String] {
        var seen: Set<String> = []
        return resources.filter { $0.type == type && seen.insert($0.name).inserted }.map(\.name)
    }

    /// At most `limit` items, then how many more: a plan stays readable for a large tenant.
    public static func list(_ items: [String], limit: Int = 10) -> String {
        items.count <= limit ? items.joined(separator: ", ")
            : items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }
}

extension Finding {
    /// `conversation 742… "name" bot B in W`: the resource part of a line.
    public var resourceLine: String {
        var text = "\(resourceType ?? "") \(TextSafe.clean(resourceID ?? ""))"
        if let name { text += " \"\(TextSafe.clean(name))\"" }
        if let bot { text += " bot \(TextSafe.clean(bot, limit: 60))" }
        return text
    }

    public var seenByList: String { (seenBy ?? []).joined(separator: ", ") }
}
