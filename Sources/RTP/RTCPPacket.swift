/// One packet of an RTCP compound packet. Types this core does not model (e.g. RTPFB/PSFB
/// feedback, APP, XR) are kept whole as `.unknown` so they can be passed on or inspected.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case bye(RTCPBye)
    /// `bytes` is the complete packet, common header and any padding included.
    case unknown(packetType: UInt8, bytes: [UInt8])

    public var packetType: UInt8 {
        switch self {
        case .senderReport: RTCPSenderReport.packetType
        case .receiverReport: RTCPReceiverReport.packetType
        case .sourceDescription: RTCPSourceDescription.packetType
        case .bye: RTCPBye.packetType
        case .unknown(let packetType, _): packetType
        }
    }

    /// One RTCP packet (header included); `.unknown` returns its bytes unchanged.
    public func serialized() -> [UInt8] {
        switch self {
        case .senderReport(let report): report.serialized()
        case .receiverReport(let report): report.serialized()
        case .sourceDescription(let description): description.serialized()
        case .bye(let bye): bye.serialized()
        case .unknown(_, let bytes): bytes
        }
    }

    /// Concatenates packets into one compound packet (RFC 3550 §6.1). Ordering rules
    /// (SR/RR first, SDES with CNAME included) are the caller's to follow.
    public static func serializeCompound(_ packets: [RTCPPacket]) -> [UInt8] {
        var out: [UInt8] = []
        for packet in packets { out.append(contentsOf: packet.serialized()) }
        return out
    }
}
