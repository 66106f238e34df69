/// An RTP data packet (RFC 3550 §5.1) as a plain value. Serialization is in
/// `RTPPacket+Serialization.swift`, parsing in `RTPPacket+Parsing.swift`.
public struct RTPPacket: Sendable, Hashable {
    public static let version: UInt8 = 2
    public static let fixedHeaderSize = 12
    /// The CC field is four bits wide.
    public static let maxCSRCCount = 15

    public var marker: Bool
    /// Seven bits; the serializer masks off anything above.
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// At most 15 are sent (CC is four bits); extras are dropped when serializing.
    public var csrcs: [UInt32]
    /// Called `headerExtension` because `extension` is a Swift keyword.
    public var headerExtension: RTPHeaderExtension?
    public var payload: [UInt8]
    /// Number of padding octets appended after the payload, including the count octet itself;
    /// 0 means no padding (P bit clear).
    public var paddingCount: UInt8

    public init(
        marker: Bool = false,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        csrcs: [UInt32] = [],
        headerExtension: RTPHeaderExtension? = nil,
        payload: [UInt8],
        paddingCount: UInt8 = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
        self.paddingCount = paddingCount
    }

    public var version: UInt8 { Self.version }
    /// The P bit.
    public var padding: Bool { paddingCount > 0 }
    /// The X bit.
    public var hasExtension: Bool { headerExtension != nil }

    /// Header octets on the wire: fixed part, CSRC list and extension.
    public var headerSize: Int {
        Self.fixedHeaderSize + 4 * min(csrcs.count, Self.maxCSRCCount)
            + (headerExtension.map { 4 + $0.data.count } ?? 0)
    }
}
