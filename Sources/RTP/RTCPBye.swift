/// An RTCP BYE, PT 203 (RFC 3550 §6.6): the listed sources are leaving, optionally with a reason.
public struct RTCPBye: Sendable, Hashable {
    public static let packetType: UInt8 = 203

    /// At most 31 are sent (SC is five bits); extras are dropped when serializing.
    public var ssrcs: [UInt32]
    /// Kept as octets so a round trip is exact; at most 255 are sent.
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    public init(ssrcs: [UInt32], reason: String) {
        self.init(ssrcs: ssrcs, reason: Array(reason.utf8))
    }

    /// The reason decoded as UTF-8 (invalid sequences replaced).
    public var reasonText: String? { reason.map { String(decoding: $0, as: UTF8.self) } }

    /// One RTCP packet (header included).
    public func serialized() -> [UInt8] {
        let sent = ssrcs.prefix(RTCPHeader.maxCount)
        var body: [UInt8] = []
        for ssrc in sent { body.appendBigEndian(ssrc) }
        if let reason {
            let text = reason.prefix(255)
            body.append(UInt8(text.count))
            body.append(contentsOf: text)
            body.padToWordBoundary()
        }
        var out: [UInt8] = []
        out.reserveCapacity(RTCPHeader.size + body.count)
        RTCPHeader.append(count: sent.count, packetType: Self.packetType, bodySize: body.count, to: &out)
        out.append(contentsOf: body)
        return out
    }

    init(parsing bytes: [UInt8], body: Range<Int>, count: Int) throws(RTCPParseError) {
        let reasonStart = body.lowerBound + 4 * count
        guard reasonStart <= body.upperBound else { throw .badReportCount(packetType: Self.packetType, count: count) }
        let ssrcs = (0..<count).map { bytes.bigEndianUInt32(at: body.lowerBound + 4 * $0) }
        var reason: [UInt8]?
        // Anything after the SSRC list is a length-prefixed reason (the rest is alignment padding).
        if reasonStart < body.upperBound {
            let textEnd = reasonStart + 1 + Int(bytes[reasonStart])
            guard textEnd <= body.upperBound else { throw .badLength(packetType: Self.packetType) }
            reason = Array(bytes[(reasonStart + 1)..<textEnd])
        }
        self.init(ssrcs: ssrcs, reason: reason)
    }
}
