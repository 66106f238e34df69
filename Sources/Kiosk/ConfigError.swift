/// A configuration that cannot be used, with the file and the key path a technician must fix.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// Dotted key path such as `camera.fps`, or empty for the file as a whole.
    public var key: String
    public var problem: String

    public init(file: String, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        key.isEmpty ? "config \(file): \(problem)" : "config \(file): \(key): \(problem)"
    }
}
