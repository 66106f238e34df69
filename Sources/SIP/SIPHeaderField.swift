/// One header field as it appeared: the name in its original spelling ("v", "CALL-ID") and the
/// value after unfolding (RFC 3261 §7.3.1: each fold becomes one SP, ends are trimmed).
public struct SIPHeaderField: Sendable, Hashable {
    public var name: String {
        didSet { key = SIPHeaders.key(for: name) }
    }
    public var value: String
    /// Lowercased long name ("via" for "v" and "VIA"): what lookups compare.
    internal private(set) var key: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
        self.key = SIPHeaders.key(for: name)
    }

    init(name: String, value: String, key: String) {
        self.name = name
        self.value = value
        self.key = key
    }

    /// The standard spelling of this field's name, long form ("Via" for "v").
    public var canonicalName: String { SIPHeaders.canonicalName(name) }
}
