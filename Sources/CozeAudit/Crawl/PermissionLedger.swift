/// What each endpoint answered one credential so far, to tell a missing permission point from a
/// denial about one parent (docs/evidence.md §4).
///
/// A missing permission point is *established* for an endpoint when it answered 4101 (with a Coze
/// envelope) at account level, or for parents in at least two workspaces, and no listing of it has
/// succeeded for this credential. From then on the crawl does not send its remaining listings:
/// they could only answer 4101, and against a real per-token rate limit they would use up the
/// quota the other listings need. The listings not sent are stored exactly like the answers that
/// established the denial (status `denied`, the same code and message) with a note, so the
/// findings read them as they read answered 4101s: not observed, never a sighting of nothing.
struct PermissionLedger: Sendable {
    /// The answer the skipped listings are recorded like.
    struct Denial: Sendable, Equatable {
        var code: Int?
        var httpStatus: Int?
        var message: String?
    }

    static let notAskedNote = "not asked: permission point missing (4101 established endpoint-wide earlier in this run)"

    private struct EndpointState: Sendable {
        var succeeded = false
        var accountLevelDenial = false
        var deniedWorkspaces: Set<String> = []
        var denial: Denial?
    }

    private var endpoints: [String: EndpointState] = [:]

    /// Records how one listing of `endpoint` ended.
    mutating func record(endpoint: String, status: ListingOutcome.Status, code: Int?, message: String?, httpStatus: Int?,
                         workspaceID: String?, accountLevel: Bool) {
        var state = endpoints[endpoint] ?? EndpointState()
        switch status {
        case .ok:
            state.succeeded = true
        case .denied where code == 4101:
            if state.denial == nil { state.denial = Denial(code: code, httpStatus: httpStatus, message: message) }
            if accountLevel { state.accountLevelDenial = true }
            if let workspaceID { state.deniedWorkspaces.insert(workspaceID) }
        default:
            break
        }
        endpoints[endpoint] = state
    }

    /// The denial to record a skipped listing like, when the permission point is established as missing.
    func established(_ endpoint: String) -> Denial? {
        guard let state = endpoints[endpoint], !state.succeeded, let denial = state.denial else { return nil }
        return state.accountLevelDenial || state.deniedWorkspaces.count >= 2 ? denial : nil
    }

    /// Whether a listing of `endpoint` in `workspaceID` should wait, so that a missing permission
    /// point is established after the fewest requests: while the endpoint has neither succeeded nor
    /// been established as denied, one of its listings is asked at a time (a probe), and none in a
    /// workspace that already answered 4101 — the next probe goes to another workspace. Once the
    /// endpoint succeeded, nothing waits; once the denial is established, nothing waits either
    /// (its listings are recorded without being sent). `inFlight`: its listings started and not
    /// finished. The crawler starts a waiting listing anyway when nothing else is left to do.
    func shouldWait(endpoint: String, workspaceID: String?, inFlight: Int) -> Bool {
        guard let state = endpoints[endpoint] else { return inFlight > 0 }
        if state.succeeded || established(endpoint) != nil { return false }
        if inFlight > 0 { return true }
        guard let workspaceID else { return false }
        return state.deniedWorkspaces.contains(workspaceID)
    }
}
