extension RTCPSourceDescription {
    /// One SDES item: a type octet and up to 255 octets of (normally UTF-8) text.
    public struct Item: Sendable, Hashable {
        public static let cnameType: UInt8 = 1
        public static let nameType: UInt8 = 2
        public static let toolType: UInt8 = 6

        public var type: UInt8
        /// Kept as octets so a parse/serialize round trip is exact even for invalid UTF-8.
        public var value: [UInt8]

        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public static func cname(_ text: String) -> Item { Item(type: cnameType, value: Array(text.utf8)) }

        /// The value decoded as UTF-8 (invalid sequences replaced).
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items describing one source.
    public struct Chunk: Sendable, Hashable {
        public var ssrc: UInt32
        /// Items of type 0 are not sent: type 0 is the end-of-list marker on the wire.
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        public var cname: String? { items.first { $0.type == Item.cnameType }?.text }

        /// Values longer than 255 octets are cut: the length field is one octet.
        func append(to out: inout [UInt8]) {
            out.appendBigEndian(ssrc)
            for item in items where item.type != 0 {
                let value = item.value.prefix(255)
                out.append(item.type)
                out.append(UInt8(value.count))
                out.append(contentsOf: value)
            }
            // The list ends with a null octet, then nulls up to the next 32-bit boundary.
            out.append(0)
            out.padToWordBoundary()
        }

        /// Reads one chunk at `offset` (word aligned within the packet) and advances past its padding.
        init(parsing bytes: [UInt8], at offset: inout Int, end: Int) throws(RTCPParseError) {
            let packetType = RTCPSourceDescription.packetType
            guard offset + 4 <= end else { throw .badLength(packetType: packetType) }
            let ssrc = bytes.bigEndianUInt32(at: offset)
            let chunkStart = offset
            offset += 4
            var items: [Item] = []
            while true {
                guard offset < end else { throw .badLength(packetType: packetType) }
                let type = bytes[offset]
                if type == 0 { break }
                guard offset + 2 <= end else { throw .badLength(packetType: packetType) }
                let valueEnd = offset + 2 + Int(bytes[offset + 1])
                guard valueEnd <= end else { throw .badLength(packetType: packetType) }
                items.append(Item(type: type, value: Array(bytes[(offset + 2)..<valueEnd])))
                offset = valueEnd
            }
            // Skip the null terminator and the padding that aligns the next chunk.
            offset += 1
            let misalignment = (offset - chunkStart) % 4
            if misalignment != 0 { offset += 4 - misalignment }
            offset = min(offset, end)
            self.init(ssrc: ssrc, items: items)
        }
    }
}
