extension VP8PayloadDescriptor {
    public func append(to out: inout [UInt8]) {
        var first = partitionIndex & 0x07
        if hasExtension { first |= 0x80 }
        if isNonReference { first |= 0x20 }
        if isStartOfPartition { first |= 0x10 }
        out.append(first)
        guard hasExtension else { return }

        var flags: UInt8 = 0
        if pictureID != nil { flags |= 0x80 }
        if tl0PictureIndex != nil { flags |= 0x40 }
        if temporalLayerIndex != nil { flags |= 0x20 }
        if keyIndex != nil { flags |= 0x10 }
        out.append(flags)

        if let pictureID {
            if hasLongPictureID {
                out.append(0x80 | UInt8(truncatingIfNeeded: pictureID >> 8) & 0x7F)
                out.append(UInt8(truncatingIfNeeded: pictureID))
            } else {
                out.append(UInt8(truncatingIfNeeded: pictureID) & 0x7F)
            }
        }
        if let tl0PictureIndex { out.append(tl0PictureIndex) }
        if temporalLayerIndex != nil || keyIndex != nil {
            var octet = ((temporalLayerIndex ?? 0) & 0x03) << 6
            // Y only has a meaning alongside TID (RFC 7741 §4.2).
            if isLayerSync, temporalLayerIndex != nil { octet |= 0x20 }
            octet |= (keyIndex ?? 0) & 0x1F
            out.append(octet)
        }
    }

    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        append(to: &out)
        return out
    }

    /// Parses the descriptor at the start of `payload`; `length` is where the VP8 data begins.
    public static func parse(_ payload: [UInt8]) throws(VP8ParseError) -> (descriptor: VP8PayloadDescriptor, length: Int) {
        func octet(_ index: Int) throws(VP8ParseError) -> UInt8 {
            guard index < payload.count else { throw .truncated(needed: index + 1, available: payload.count) }
            return payload[index]
        }

        let first = try octet(0)
        var descriptor = VP8PayloadDescriptor(
            isNonReference: first & 0x20 != 0,
            isStartOfPartition: first & 0x10 != 0,
            partitionIndex: first & 0x07
        )
        var offset = 1
        guard first & 0x80 != 0 else { return (descriptor, offset) }

        let flags = try octet(offset)
        offset += 1
        if flags & 0x80 != 0 {
            let high = try octet(offset)
            offset += 1
            if high & 0x80 != 0 {
                let low = try octet(offset)
                offset += 1
                descriptor.pictureID = UInt16(high & 0x7F) << 8 | UInt16(low)
            } else {
                descriptor.hasLongPictureID = false
                descriptor.pictureID = UInt16(high)
            }
        }
        if flags & 0x40 != 0 {
            descriptor.tl0PictureIndex = try octet(offset)
            offset += 1
        }
        let hasTID = flags & 0x20 != 0
        let hasKeyIndex = flags & 0x10 != 0
        if hasTID || hasKeyIndex {
            let octet = try octet(offset)
            offset += 1
            if hasTID {
                descriptor.temporalLayerIndex = octet >> 6
                descriptor.isLayerSync = octet & 0x20 != 0
            }
            if hasKeyIndex { descriptor.keyIndex = octet & 0x1F }
        }
        return (descriptor, offset)
    }
}
