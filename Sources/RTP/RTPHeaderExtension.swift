/// The RTP header extension (RFC 3550 §5.3.1): a 16-bit profile-defined value and data whose
/// length on the wire is a whole number of 32-bit words.
public struct RTPHeaderExtension: Sendable, Hashable {
    /// RFC 8285 one-byte header elements use this profile value.
    public static let oneByteProfile: UInt16 = 0xBEDE

    /// The largest data the 16-bit word count can describe.
    public static let maxDataSize = Int(UInt16.max) * 4

    public let profile: UInt16
    /// Always a multiple of four octets long, so a parsed extension equals the one serialized.
    public let data: [UInt8]

    /// Zero-pads `data` to a 32-bit boundary (the wire format has no room for a partial word);
    /// data beyond `maxDataSize` is dropped because the length field cannot express it.
    public init(profile: UInt16, data: [UInt8]) {
        var words = Array(data.prefix(Self.maxDataSize))
        words.padToWordBoundary()
        self.profile = profile
        self.data = words
    }
}
