/// One `name=value` pair of a URI's `?headers` part (RFC 3261 §19.1.1), kept escaped as received.
public struct SIPURIHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
