/// A request parked by a `hold` fault until the test calls `releaseHeld()`, so a test can stop
/// a client while a page is in flight without timing anything.
public struct HeldRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var credential: String?

    public var endpoint: String { "\(method) \(path)" }
}
