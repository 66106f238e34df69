/// A Full Intra Request, PSFB PT 206 FMT 4 (RFC 5104 §4.3.1): asks each listed media sender for a
/// decoder refresh (a key frame). Each request carries a sequence number so a repeated FIR (same
/// number) is recognised as the same request, not a new one.
public struct RTCPFullIntraRequest: Sendable, Hashable {
    public static let packetType: UInt8 = RTCPFeedbackHeader.payloadSpecificPacketType
    public static let format: UInt8 = 4

    /// One FCI entry: the media sender addressed and the request's sequence number.
    public struct Entry: Sendable, Hashable {
        public static let size = 8
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSSRC: UInt32
    /// RFC 5104 says 0: the addressed sources are in the entries.
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// One RTCP packet (header included). The three reserved octets of each entry are zero.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + RTCPFeedbackHeader.ssrcSize + entries.count * Entry.size)
        RTCPFeedbackHeader.append(format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                  mediaSSRC: mediaSSRC, fciSize: entries.count * Entry.size, to: &out)
        for entry in entries {
            out.appendBigEndian(entry.ssrc)
            out.append(entry.sequenceNumber)
            out.append(contentsOf: [0, 0, 0])
        }
        return out
    }

    init(parsing bytes: [UInt8], body: Range<Int>) throws(RTCPParseError) {
        let fci = try RTCPFeedbackHeader.fci(of: body, entrySize: Entry.size, packetType: Self.packetType)
        self.init(
            senderSSRC: bytes.bigEndianUInt32(at: body.lowerBound),
            mediaSSRC: bytes.bigEndianUInt32(at: body.lowerBound + 4),
            entries: stride(from: fci.lowerBound, to: fci.upperBound, by: Entry.size).map {
                Entry(ssrc: bytes.bigEndianUInt32(at: $0), sequenceNumber: bytes[$0 + 4])
            }
        )
    }
}
