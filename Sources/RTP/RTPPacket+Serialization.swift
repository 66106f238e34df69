extension RTPPacket {
    /// The packet as sent on the wire. Padding octets are zero except the last, which holds the count.
    public func serialized() -> [UInt8] {
        let sentCSRCs = csrcs.prefix(Self.maxCSRCCount)
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count + Int(paddingCount))

        var first = Self.version << 6 | UInt8(sentCSRCs.count)
        if padding { first |= 0x20 }
        if headerExtension != nil { first |= 0x10 }
        out.append(first)
        out.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        out.appendBigEndian(sequenceNumber)
        out.appendBigEndian(timestamp)
        out.appendBigEndian(ssrc)
        for csrc in sentCSRCs { out.appendBigEndian(csrc) }

        if let headerExtension {
            out.appendBigEndian(headerExtension.profile)
            out.appendBigEndian(UInt16(headerExtension.data.count / 4))
            out.append(contentsOf: headerExtension.data)
        }

        out.append(contentsOf: payload)
        if paddingCount > 0 {
            out.append(contentsOf: repeatElement(0, count: Int(paddingCount) - 1))
            out.append(paddingCount)
        }
        return out
    }
}
