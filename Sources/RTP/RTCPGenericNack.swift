/// A Generic NACK, RTPFB PT 205 FMT 1 (RFC 4585 §6.2.1): the media sender should retransmit the
/// listed packets. Each entry names one lost packet (PID) and up to 16 more after it (BLP).
public struct RTCPGenericNack: Sendable, Hashable {
    public static let packetType: UInt8 = RTCPFeedbackHeader.transportLayerPacketType
    public static let format: UInt8 = 1

    /// One FCI entry: packet `pid` is lost, and packet `pid + i + 1` too for every set bit i of `blp`.
    public struct Entry: Sendable, Hashable {
        public static let size = 4
        public var pid: UInt16
        /// Bitmask of following lost packets; bit 0 (least significant) is `pid + 1`.
        public var blp: UInt16

        public init(pid: UInt16, blp: UInt16 = 0) {
            self.pid = pid
            self.blp = blp
        }

        /// The sequence numbers this entry asks for, in order (wrapping past 65535).
        public var sequenceNumbers: [UInt16] {
            var numbers = [pid]
            for bit in 0..<16 where blp & (1 << bit) != 0 {
                numbers.append(pid &+ UInt16(bit + 1))
            }
            return numbers
        }
    }

    /// SSRC of the packet sender (the receiver that lost the packets).
    public var senderSSRC: UInt32
    /// SSRC of the media source whose packets are lost.
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// A NACK for `missing` sequence numbers, in as few entries as possible.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, missing: some Sequence<UInt16>) {
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: Self.entries(for: missing))
    }

    /// Every sequence number the entries ask for, in entry order, without repeats.
    public var sequenceNumbers: [UInt16] {
        var seen = Set<UInt16>()
        return entries.flatMap(\.sequenceNumbers).filter { seen.insert($0).inserted }
    }

    /// The fewest entries covering exactly `missing`. Sequence numbers live on a circle of 2^16,
    /// so the run is taken to start after the widest gap between them: {65534, 65535, 0, 2} is one
    /// entry with PID 65534, not two. Greedy from the first uncovered number is then optimal.
    public static func entries(for missing: some Sequence<UInt16>) -> [Entry] {
        let sorted = Set(missing).sorted()
        guard let first = sorted.first, let last = sorted.last else { return [] }
        // Find the widest forward gap, the wrap from last back to first included.
        var startIndex = 0
        var widestGap = Int(first) + 65536 - Int(last)
        for index in 1..<sorted.count {
            let gap = Int(sorted[index]) - Int(sorted[index - 1])
            if gap > widestGap {
                widestGap = gap
                startIndex = index
            }
        }
        let ordered = sorted[startIndex...] + sorted[..<startIndex]

        var entries: [Entry] = []
        for number in ordered {
            if var current = entries.last {
                let offset = number &- current.pid
                if offset >= 1, offset <= 16 {
                    current.blp |= 1 << (offset - 1)
                    entries[entries.count - 1] = current
                    continue
                }
            }
            entries.append(Entry(pid: number))
        }
        return entries
    }

    /// One RTCP packet (header included).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + RTCPFeedbackHeader.ssrcSize + entries.count * Entry.size)
        RTCPFeedbackHeader.append(format: Self.format, packetType: Self.packetType, senderSSRC: senderSSRC,
                                  mediaSSRC: mediaSSRC, fciSize: entries.count * Entry.size, to: &out)
        for entry in entries {
            out.appendBigEndian(entry.pid)
            out.appendBigEndian(entry.blp)
        }
        return out
    }

    init(parsing bytes: [UInt8], body: Range<Int>) throws(RTCPParseError) {
        let fci = try RTCPFeedbackHeader.fci(of: body, entrySize: Entry.size, packetType: Self.packetType)
        self.init(
            senderSSRC: bytes.bigEndianUInt32(at: body.lowerBound),
            mediaSSRC: bytes.bigEndianUInt32(at: body.lowerBound + 4),
            entries: stride(from: fci.lowerBound, to: fci.upperBound, by: Entry.size).map {
                Entry(pid: bytes.bigEndianUInt16(at: $0), blp: bytes.bigEndianUInt16(at: $0 + 2))
            }
        )
    }
}
