/// A user-fixable problem in the configuration: always one line, always naming the key and,
/// where the YAML gives it, the line. Maps to exit code 2.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var key: String
    public var problem: String

    public init(file: String, line: Int?, key: String, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}
