/// An RTCP source description, PT 202 (RFC 3550 §6.5): per-source chunks of items, of which
/// CNAME is the one that matters (it ties a participant's audio and video SSRCs together).
public struct RTCPSourceDescription: Sendable, Hashable {
    public static let packetType: UInt8 = 202

    /// At most 31 are sent (SC is five bits); extras are dropped when serializing.
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// The usual case: one source announcing its CNAME.
    public init(ssrc: UInt32, cname: String) {
        self.init(chunks: [Chunk(ssrc: ssrc, items: [.cname(cname)])])
    }

    /// One RTCP packet (header included).
    public func serialized() -> [UInt8] {
        let sent = chunks.prefix(RTCPHeader.maxCount)
        var body: [UInt8] = []
        for chunk in sent { chunk.append(to: &body) }
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + body.count)
        RTCPHeader.append(count: sent.count, packetType: Self.packetType, bodySize: body.count, to: &out)
        out.append(contentsOf: body)
        return out
    }

    init(parsing bytes: [UInt8], body: Range<Int>, count: Int) throws(RTCPParseError) {
        var chunks: [Chunk] = []
        var offset = body.lowerBound
        for _ in 0..<count {
            // Each chunk starts with its SSRC; SC promising more chunks than fit is a count error.
            guard offset + 4 <= body.upperBound else {
                throw .badReportCount(packetType: Self.packetType, count: count)
            }
            chunks.append(try Chunk(parsing: bytes, at: &offset, end: body.upperBound))
        }
        self.init(chunks: chunks)
    }
}
