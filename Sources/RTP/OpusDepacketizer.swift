/// Receives Opus RTP payloads (RFC 7587): the payload is the Opus packet. Tracks sequence gaps so
/// the decoder can conceal (PLC) or use in-band FEC for the packets that never arrived.
public struct OpusDepacketizer: Sendable, Hashable {
    private var expectedSequence: UInt16?

    /// Packets missing so far (sequence gaps in forward direction).
    public private(set) var lostPacketCount = 0

    public init() {}

    /// The Opus packet in `packet`, and how many packets went missing right before it.
    /// Empty payloads carry nothing to decode and give nil.
    public mutating func push(_ packet: RTPPacket) -> (opusPacket: [UInt8], lostBefore: Int)? {
        var lost = 0
        if let expected = expectedSequence {
            let gap = Int(packet.sequenceNumber &- expected)
            if gap < 0x8000 {
                lost = gap
                expectedSequence = packet.sequenceNumber &+ 1
            }
            // Otherwise it is a late or duplicate packet seen modulo 2^16: not a loss, and it must
            // not move the expectation backwards.
        } else {
            expectedSequence = packet.sequenceNumber &+ 1
        }
        lostPacketCount += lost
        guard !packet.payload.isEmpty else { return nil }
        return (packet.payload, lost)
    }
}
