extension RTPPacket {
    /// Parses one RTP packet. Every length is checked against the buffer before it is used, so
    /// hostile input throws rather than traps. Trailing bytes are payload (RTP has no length field).
    public init(parsing bytes: [UInt8]) throws(RTPParseError) {
        let available = bytes.count
        guard available >= Self.fixedHeaderSize else {
            throw .truncated(needed: Self.fixedHeaderSize, available: available)
        }
        let first = bytes[0]
        let version = first >> 6
        guard version == Self.version else { throw .badVersion(version) }
        let hasPadding = first & 0x20 != 0
        let hasExtension = first & 0x10 != 0
        let csrcCount = Int(first & 0x0F)

        var offset = Self.fixedHeaderSize
        let csrcEnd = offset + 4 * csrcCount
        guard available >= csrcEnd else { throw .truncated(needed: csrcEnd, available: available) }
        var csrcs: [UInt32] = []
        csrcs.reserveCapacity(csrcCount)
        while offset < csrcEnd {
            csrcs.append(bytes.bigEndianUInt32(at: offset))
            offset += 4
        }

        var headerExtension: RTPHeaderExtension?
        if hasExtension {
            guard available >= offset + 4 else { throw .truncated(needed: offset + 4, available: available) }
            let profile = bytes.bigEndianUInt16(at: offset)
            let dataEnd = offset + 4 + 4 * Int(bytes.bigEndianUInt16(at: offset + 2))
            guard available >= dataEnd else { throw .truncated(needed: dataEnd, available: available) }
            headerExtension = RTPHeaderExtension(profile: profile, data: Array(bytes[(offset + 4)..<dataEnd]))
            offset = dataEnd
        }

        var payloadEnd = available
        var paddingCount: UInt8 = 0
        if hasPadding {
            // The count includes itself, so 0 is malformed; it may not reach back into the header.
            paddingCount = bytes[available - 1]
            guard paddingCount > 0, Int(paddingCount) <= available - offset else { throw .badPadding }
            payloadEnd -= Int(paddingCount)
        }

        self.init(
            marker: bytes[1] & 0x80 != 0,
            payloadType: bytes[1] & 0x7F,
            sequenceNumber: bytes.bigEndianUInt16(at: 2),
            timestamp: bytes.bigEndianUInt32(at: 4),
            ssrc: bytes.bigEndianUInt32(at: 8),
            csrcs: csrcs,
            headerExtension: headerExtension,
            payload: Array(bytes[offset..<payloadEnd]),
            paddingCount: paddingCount
        )
    }
}
