/// The 4-octet common header every RTCP packet starts with (RFC 3550 §6.4.1):
/// V=2, P, a 5-bit count, packet type, and the length in 32-bit words minus one.
struct RTCPHeader {
    static let size = 4
    /// The count field is five bits wide.
    static let maxCount = 31

    /// Appends a header for `bodySize` octets that follow it (the body must already be word aligned).
    static func append(count: Int, packetType: UInt8, bodySize: Int, to out: inout [UInt8]) {
        out.append(RTPPacket.version << 6 | UInt8(truncatingIfNeeded: min(count, maxCount)))
        out.append(packetType)
        out.appendBigEndian(UInt16(truncatingIfNeeded: (size + bodySize) / 4 - 1))
    }
}
