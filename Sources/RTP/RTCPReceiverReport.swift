/// An RTCP receiver report, PT 201 (RFC 3550 §6.4.2): reception reports from a participant
/// that is not sending (or an extra RR when a sender has more than 31 sources to report).
public struct RTCPReceiverReport: Sendable, Hashable {
    public static let packetType: UInt8 = 201

    /// The reporter's SSRC.
    public var ssrc: UInt32
    /// At most 31 are sent (RC is five bits); extras are dropped when serializing.
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    /// One RTCP packet (header included).
    public func serialized() -> [UInt8] {
        let blocks = reportBlocks.prefix(RTCPHeader.maxCount)
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + 4 + blocks.count * RTCPReportBlock.size)
        RTCPHeader.append(count: blocks.count, packetType: Self.packetType,
                          bodySize: 4 + blocks.count * RTCPReportBlock.size, to: &out)
        out.appendBigEndian(ssrc)
        for block in blocks { block.append(to: &out) }
        return out
    }

    init(parsing bytes: [UInt8], body: Range<Int>, count: Int) throws(RTCPParseError) {
        guard body.count >= 4 else { throw .badReportCount(packetType: Self.packetType, count: count) }
        self.init(
            ssrc: bytes.bigEndianUInt32(at: body.lowerBound),
            reportBlocks: try RTCPReportBlock.readBlocks(
                count, from: bytes, at: body.lowerBound + 4, end: body.upperBound, packetType: Self.packetType)
        )
    }
}
