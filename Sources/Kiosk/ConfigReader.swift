/// Reads one JSON object of the configuration: typed getters with defaults and ranges, each failure a
/// `ConfigError` naming the key path; `finish()` rejects keys nobody asked for (a misspelt key would
/// otherwise be ignored and its default silently used).
struct ConfigReader {
    let file: String
    let path: String
    private let object: [String: JSONValue]
    private var used: Set<String> = []

    init(file: String, path: String, value: JSONValue) throws(ConfigError) {
        self.file = file
        self.path = path
        guard case let .object(object) = value else {
            throw ConfigError(file: file, key: path, problem: "expected an object, found \(value.kind)")
        }
        self.object = object
    }

    private func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private func error(_ name: String, _ problem: String) -> ConfigError {
        ConfigError(file: file, key: key(name), problem: problem)
    }

    private mutating func value(_ name: String) -> JSONValue? {
        used.insert(name)
        if case .null = object[name] { return nil }
        return object[name]
    }

    mutating func section(_ name: String) throws(ConfigError) -> ConfigReader {
        try ConfigReader(file: file, path: key(name), value: value(name) ?? .object([:]))
    }

    mutating func hasSection(_ name: String) -> Bool {
        used.insert(name)
        return object[name] != nil && object[name] != .null
    }

    mutating func string(_ name: String, default fallback: String) throws(ConfigError) -> String {
        guard let v = value(name) else { return fallback }
        guard case let .string(s) = v else { throw error(name, "expected a string, found \(v.kind)") }
        return s
    }

    /// A value that may be a name or a whole number (a GPIO line: `17` or `"CALL_BUTTON"`), as text.
    mutating func nameOrNumber(_ name: String) throws(ConfigError) -> String? {
        guard let v = value(name) else { return nil }
        switch v {
        case let .string(s): return s
        case let .number(d) where d == d.rounded() && d >= 0 && d < 1_000_000: return String(Int(d))
        default: throw error(name, "expected a whole number or a name, found \(v.kind)")
        }
    }

    mutating func optionalString(_ name: String) throws(ConfigError) -> String? {
        guard let v = value(name) else { return nil }
        guard case let .string(s) = v else { throw error(name, "expected a string, found \(v.kind)") }
        return s
    }

    mutating func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let v = value(name) else { return fallback }
        guard case let .number(d) = v else {
            throw error(name, "expected a whole number in \(range.lowerBound)...\(range.upperBound), found \(v.kind)")
        }
        guard d == d.rounded(), let i = Int(exactly: d) else {
            throw error(name, "expected a whole number in \(range.lowerBound)...\(range.upperBound), found \(d)")
        }
        guard range.contains(i) else {
            throw error(name, "\(i) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    mutating func bool(_ name: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let v = value(name) else { return fallback }
        guard case let .bool(b) = v else { throw error(name, "expected true or false, found \(v.kind)") }
        return b
    }

    /// Whether the key is present with a value (not null).
    func hasValue(_ name: String) -> Bool { object[name] != nil && object[name] != .null }

    /// The keys of this object, in sorted order (for sections whose keys are names, like categories).
    var keys: [String] { object.keys.sorted() }

    mutating func strings(_ name: String) throws(ConfigError) -> [String] {
        guard let v = value(name) else { return [] }
        guard case let .array(items) = v else { throw error(name, "expected a list of strings, found \(v.kind)") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { throw error(name, "entry \(i + 1) is \(item.kind), not a string") }
            out.append(s)
        }
        return out
    }

    mutating func double(_ name: String, default fallback: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let v = value(name) else { return fallback }
        guard case let .number(d) = v else { throw error(name, "expected a number, found \(v.kind)") }
        guard range.contains(d) else { throw error(name, "\(d) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return d
    }

    func fail(_ name: String, _ problem: String) -> ConfigError { error(name, problem) }

    func finish() throws(ConfigError) {
        let unknown = Set(object.keys).subtracting(used).sorted()
        if let first = unknown.first {
            throw error(first, "unknown setting (known here: \(used.sorted().joined(separator: ", ")))")
        }
    }
}
