/// One reception report block (RFC 3550 §6.4.1), carried in SR and RR packets.
public struct RTCPReportBlock: Sendable, Hashable {
    public static let size = 24
    /// The cumulative loss field is a signed 24-bit integer; larger values are clamped (RFC 3550 §6.4.1).
    public static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    /// The source this block reports on.
    public var ssrc: UInt32
    /// Loss fraction since the last report, in 1/256.
    public var fractionLost: UInt8
    /// Packets lost since the start; negative when duplicates outnumber losses.
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the last SR's NTP timestamp (`NTPTimestamp.middle32`), 0 if none.
    public var lastSR: UInt32
    /// Delay since that SR in 1/65536 s.
    public var delaySinceLastSR: UInt32

    public init(
        ssrc: UInt32,
        fractionLost: UInt8 = 0,
        cumulativeLost: Int32 = 0,
        extendedHighestSequence: UInt32 = 0,
        jitter: UInt32 = 0,
        lastSR: UInt32 = 0,
        delaySinceLastSR: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }

    func append(to out: inout [UInt8]) {
        out.appendBigEndian(ssrc)
        let lost = min(max(cumulativeLost, Self.cumulativeLostRange.lowerBound), Self.cumulativeLostRange.upperBound)
        // Two's complement in 24 bits: the low three octets of the 32-bit pattern.
        let lostBits = UInt32(bitPattern: lost) & 0x00FF_FFFF
        out.appendBigEndian(UInt32(fractionLost) << 24 | lostBits)
        out.appendBigEndian(extendedHighestSequence)
        out.appendBigEndian(jitter)
        out.appendBigEndian(lastSR)
        out.appendBigEndian(delaySinceLastSR)
    }

    /// Reads a block at `offset`; the caller has checked that `size` octets are there.
    init(reading bytes: [UInt8], at offset: Int) {
        let lossWord = bytes.bigEndianUInt32(at: offset + 4)
        self.init(
            ssrc: bytes.bigEndianUInt32(at: offset),
            fractionLost: UInt8(truncatingIfNeeded: lossWord >> 24),
            // Shift the 24-bit field to the top, then arithmetic-shift back to sign-extend it.
            cumulativeLost: Int32(bitPattern: lossWord << 8) >> 8,
            extendedHighestSequence: bytes.bigEndianUInt32(at: offset + 8),
            jitter: bytes.bigEndianUInt32(at: offset + 12),
            lastSR: bytes.bigEndianUInt32(at: offset + 16),
            delaySinceLastSR: bytes.bigEndianUInt32(at: offset + 20)
        )
    }

    /// Reads `count` blocks starting at `offset`, throwing if they do not fit before `end`.
    static func readBlocks(
        _ count: Int, from bytes: [UInt8], at offset: Int, end: Int, packetType: UInt8
    ) throws(RTCPParseError) -> [RTCPReportBlock] {
        guard offset + count * size <= end else { throw .badReportCount(packetType: packetType, count: count) }
        return (0..<count).map { RTCPReportBlock(reading: bytes, at: offset + $0 * size) }
    }
}
