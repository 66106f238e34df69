extension RTCPPacket {
    /// Parses a compound RTCP packet into its packets. Every packet's version, length field and
    /// counts are checked against the buffer; any violation rejects the whole datagram, as RFC 3550
    /// §A.2 suggests, since a bad length makes everything after it unreliable.
    ///
    /// Not enforced: that the first packet is SR/RR (RFC 5506 reduced-size RTCP allows otherwise)
    /// and that only the last packet is padded.
    public static func parseCompound(_ bytes: [UInt8]) throws(RTCPParseError) -> [RTCPPacket] {
        guard !bytes.isEmpty else { throw .truncated(needed: RTCPHeader.size, available: 0) }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= RTCPHeader.size else {
                throw .truncated(needed: RTCPHeader.size, available: remaining)
            }
            let first = bytes[offset]
            let version = first >> 6
            guard version == RTPPacket.version else { throw .badVersion(version) }
            let count = Int(first & 0x1F)
            let packetType = bytes[offset + 1]
            let packetSize = 4 * (Int(bytes.bigEndianUInt16(at: offset + 2)) + 1)
            guard packetSize <= remaining else { throw .truncated(needed: packetSize, available: remaining) }

            let packetEnd = offset + packetSize
            var bodyEnd = packetEnd
            if first & 0x20 != 0 {
                let paddingCount = Int(bytes[packetEnd - 1])
                guard paddingCount > 0, paddingCount <= packetSize - RTCPHeader.size else { throw .badPadding }
                bodyEnd -= paddingCount
            }
            let body = (offset + RTCPHeader.size)..<bodyEnd

            switch packetType {
            case RTCPSenderReport.packetType:
                packets.append(.senderReport(try RTCPSenderReport(parsing: bytes, body: body, count: count)))
            case RTCPReceiverReport.packetType:
                packets.append(.receiverReport(try RTCPReceiverReport(parsing: bytes, body: body, count: count)))
            case RTCPSourceDescription.packetType:
                packets.append(.sourceDescription(try RTCPSourceDescription(parsing: bytes, body: body, count: count)))
            case RTCPBye.packetType:
                packets.append(.bye(try RTCPBye(parsing: bytes, body: body, count: count)))
            // Feedback: the count field is the format (FMT); formats not modelled fall to `.unknown`.
            case RTCPGenericNack.packetType where count == Int(RTCPGenericNack.format):
                packets.append(.genericNack(try RTCPGenericNack(parsing: bytes, body: body)))
            case RTCPPictureLossIndication.packetType where count == Int(RTCPPictureLossIndication.format):
                packets.append(.pictureLossIndication(try RTCPPictureLossIndication(parsing: bytes, body: body)))
            case RTCPFullIntraRequest.packetType where count == Int(RTCPFullIntraRequest.format):
                packets.append(.fullIntraRequest(try RTCPFullIntraRequest(parsing: bytes, body: body)))
            default:
                packets.append(.unknown(packetType: packetType, bytes: Array(bytes[offset..<packetEnd])))
            }
            offset = packetEnd
        }
        return packets
    }
}
