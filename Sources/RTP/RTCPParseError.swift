/// Why an RTCP (compound) packet was rejected. Thrown instead of trapping: the input comes off the network.
public enum RTCPParseError: Error, Sendable, Equatable {
    /// The buffer ends before a common header or before the end its length field announces.
    case truncated(needed: Int, available: Int)
    /// A packet's version field is not 2.
    case badVersion(UInt8)
    /// The P bit is set but the last octet is 0 or counts past the common header.
    case badPadding
    /// The report/source count needs more octets than the packet's length holds.
    case badReportCount(packetType: UInt8, count: Int)
    /// An item or reason field runs past the end of its packet.
    case badLength(packetType: UInt8)
}
