/// A `b=<type>:<value>` line, e.g. `AS:512` (kbit/s) or `TIAS:64000` (bit/s).
public struct SDPBandwidth: Sendable, Hashable {
    public var type: String
    public var value: UInt64

    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }
}
