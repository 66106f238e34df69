/// The part every RTCP feedback message shares (RFC 4585 §6.1): the common header with FMT in
/// the count field, then the SSRC of the packet sender and the SSRC of the media source.
enum RTCPFeedbackHeader {
    /// Sender SSRC and media source SSRC, after the common header.
    static let ssrcSize = 8
    /// PT 205: transport-layer feedback (RTPFB).
    static let transportLayerPacketType: UInt8 = 205
    /// PT 206: payload-specific feedback (PSFB).
    static let payloadSpecificPacketType: UInt8 = 206

    /// Appends the common header and both SSRCs for a message whose FCI is `fciSize` octets.
    static func append(
        format: UInt8, packetType: UInt8, senderSSRC: UInt32, mediaSSRC: UInt32, fciSize: Int,
        to out: inout [UInt8]
    ) {
        RTCPHeader.append(count: Int(format), packetType: packetType, bodySize: ssrcSize + fciSize, to: &out)
        out.appendBigEndian(senderSSRC)
        out.appendBigEndian(mediaSSRC)
    }

    /// The FCI range of a feedback body, which must hold both SSRCs and whole `entrySize` entries
    /// (padding already removed by the caller).
    static func fci(of body: Range<Int>, entrySize: Int, packetType: UInt8) throws(RTCPParseError) -> Range<Int> {
        guard body.count >= ssrcSize else { throw .badLength(packetType: packetType) }
        let fci = (body.lowerBound + ssrcSize)..<body.upperBound
        guard entrySize == 0 || fci.count % entrySize == 0 else { throw .badLength(packetType: packetType) }
        return fci
    }
}
