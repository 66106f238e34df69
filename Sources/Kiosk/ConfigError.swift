/// A configuration that cannot be used, with where it came from (the file, or a command-line option)
/// and the key a technician must fix.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The configuration file, or nil when the value came from a command-line option.
    public var file: String?
    /// Dotted key path such as `camera.fps`, an option such as `--size`, or empty for the file as a whole.
    public var key: String
    public var problem: String

    public init(file: String, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public init(option: String, problem: String) {
        self.file = nil
        self.key = option
        self.problem = problem
    }

    public var description: String {
        guard let file else { return "option \(key): \(problem)" }
        return key.isEmpty ? "config \(file): \(problem)" : "config \(file): \(key): \(problem)"
    }
}
