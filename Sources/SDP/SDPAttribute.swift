/// One `a=` line as `name[:value]`. Kept in order and verbatim so attributes this module does not
/// understand survive a parse/serialize round trip. `a=x` has a nil value, `a=x:` an empty one.
public struct SDPAttribute: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }
}
