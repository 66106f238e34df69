/// A Picture Loss Indication, PSFB PT 206 FMT 1 (RFC 4585 §6.3.1): the receiver lost picture
/// data it cannot recover and asks the media sender for a key frame. It has no FCI.
public struct RTCPPictureLossIndication: Sendable, Hashable {
    public static let packetType: UInt8 = RTCPFeedbackHeader.payloadSpecificPacketType
    public static let format: UInt8 = 1

    /// SSRC of the packet sender (the receiver that lost the picture).
    public var senderSSRC: UInt32
    /// SSRC of the media source asked for a key frame.
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// One RTCP packet (header included): always 12 octets.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + RTCPFeedbackHeader.ssrcSize)
        RTCPFeedbackHeader.append(format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                  mediaSSRC: mediaSSRC, fciSize: 0, to: &out)
        return out
    }

    /// Anything after the two SSRCs is ignored (RFC 4585 defines no FCI for PLI).
    init(parsing bytes: [UInt8], body: Range<Int>) throws(RTCPParseError) {
        _ = try RTCPFeedbackHeader.fci(of: body, entrySize: 0, packetType: Self.packetType)
        self.init(senderSSRC: bytes.bigEndianUInt32(at: body.lowerBound),
                  mediaSSRC: bytes.bigEndianUInt32(at: body.lowerBound + 4))
    }
}
