/// Why an RTP data packet was rejected. Thrown instead of trapping: the input comes off the network.
public enum RTPParseError: Error, Sendable, Equatable {
    /// The buffer ends before the header (fixed part, CSRC list or extension) does.
    case truncated(needed: Int, available: Int)
    /// The version field is not 2.
    case badVersion(UInt8)
    /// The P bit is set but the last octet is 0 or counts past the end of the header.
    case badPadding
}
