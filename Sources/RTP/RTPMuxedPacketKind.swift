/// What a datagram on an rtcp-mux port is (RFC 5761 §4, RFC 7983 §7). RTCP packet types
/// 200–223 occupy the RTP marker+payload-type octet values 192–223, which is why dynamic RTP
/// payload types must avoid 64–95.
public enum RTPMuxedPacketKind: Sendable, Hashable {
    case rtp
    case rtcp
    /// Not RTP/RTCP: too short, or a first octet outside 128–191 (STUN, DTLS, ...).
    case other

    public init(classifying bytes: [UInt8]) {
        guard bytes.count >= RTCPHeader.size, (128...191).contains(bytes[0]) else {
            self = .other
            return
        }
        self = (192...223).contains(bytes[1]) ? .rtcp : .rtp
    }
}
