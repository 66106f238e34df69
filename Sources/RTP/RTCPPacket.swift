/// One packet of an RTCP compound packet. Types this core does not model (other RTPFB/PSFB
/// feedback formats such as TMMBR or REMB, APP, XR) are kept whole as `.unknown` so they can be
/// passed on or inspected.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case bye(RTCPBye)
    case genericNack(RTCPGenericNack)
    case pictureLossIndication(RTCPPictureLossIndication)
    case fullIntraRequest(RTCPFullIntraRequest)
    /// `bytes` is the complete packet, common header and any padding included.
    case unknown(packetType: UInt8, bytes: [UInt8])

    public var packetType: UInt8 {
        switch self {
        case .senderReport: RTCPSenderReport.packetType
        case .receiverReport: RTCPReceiverReport.packetType
        case .sourceDescription: RTCPSourceDescription.packetType
        case .bye: RTCPBye.packetType
        case .genericNack: RTCPGenericNack.packetType
        case .pictureLossIndication: RTCPPictureLossIndication.packetType
        case .fullIntraRequest: RTCPFullIntraRequest.packetType
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
        case .genericNack(let nack): nack.serialized()
        case .pictureLossIndication(let pli): pli.serialized()
        case .fullIntraRequest(let fir): fir.serialized()
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
