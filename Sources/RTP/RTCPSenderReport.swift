/// An RTCP sender report, PT 200 (RFC 3550 §6.4.1): what this sender sent, tied to wall-clock time,
/// plus reception reports on the sources it hears.
public struct RTCPSenderReport: Sendable, Hashable {
    public static let packetType: UInt8 = 200

    public var ssrc: UInt32
    /// Wall-clock time at which `rtpTimestamp` was sampled; lets receivers sync audio and video.
    public var ntpTimestamp: NTPTimestamp
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    /// Payload octets sent (headers and padding excluded).
    public var octetCount: UInt32
    /// At most 31 are sent (RC is five bits); extras are dropped when serializing.
    public var reportBlocks: [RTCPReportBlock]

    public init(
        ssrc: UInt32,
        ntpTimestamp: NTPTimestamp,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reportBlocks: [RTCPReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// One RTCP packet (header included).
    public func serialized() -> [UInt8] {
        let blocks = reportBlocks.prefix(RTCPHeader.maxCount)
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + 24 + blocks.count * RTCPReportBlock.size)
        RTCPHeader.append(count: blocks.count, packetType: Self.packetType,
                          bodySize: 24 + blocks.count * RTCPReportBlock.size, to: &out)
        out.appendBigEndian(ssrc)
        out.appendBigEndian(ntpTimestamp.rawValue)
        out.appendBigEndian(rtpTimestamp)
        out.appendBigEndian(packetCount)
        out.appendBigEndian(octetCount)
        for block in blocks { block.append(to: &out) }
        return out
    }

    /// Parses the body (after the common header); profile-specific extensions after the blocks are ignored.
    init(parsing bytes: [UInt8], body: Range<Int>, count: Int) throws(RTCPParseError) {
        guard body.count >= 24 else { throw .badReportCount(packetType: Self.packetType, count: count) }
        let start = body.lowerBound
        self.init(
            ssrc: bytes.bigEndianUInt32(at: start),
            ntpTimestamp: NTPTimestamp(rawValue: bytes.bigEndianUInt64(at: start + 4)),
            rtpTimestamp: bytes.bigEndianUInt32(at: start + 12),
            packetCount: bytes.bigEndianUInt32(at: start + 16),
            octetCount: bytes.bigEndianUInt32(at: start + 20),
            reportBlocks: try RTCPReportBlock.readBlocks(
                count, from: bytes, at: start + 24, end: body.upperBound, packetType: Self.packetType)
        )
    }
}
