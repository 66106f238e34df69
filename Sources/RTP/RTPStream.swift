/// The sending side of one RTP stream (RFC 3550 §5.1, §6.4.1): assigns sequence numbers, offsets
/// timestamps by the stream's random start value, and keeps the counts a sender report needs.
/// Randomness and time come from the caller, so the value stays deterministic and testable.
public struct RTPStream: Sendable, Hashable {
    public let ssrc: UInt32
    public let payloadType: UInt8
    /// Media clock ticks per second (90 000 for VP8, 48 000 for Opus).
    public let clockRate: UInt32
    /// Random offset added to every media timestamp (RFC 3550 §5.1 asks for a random start).
    public let timestampOffset: UInt32
    /// The sequence number the next packet will carry; wraps 65535 → 0.
    public private(set) var nextSequenceNumber: UInt16
    /// Packets sent, modulo 2^32 as in the SR field.
    public private(set) var packetCount: UInt32 = 0
    /// Payload octets sent (no headers, no padding), modulo 2^32 as in the SR field.
    public private(set) var octetCount: UInt32 = 0
    /// RTP timestamp of the last packet sent, nil before the first.
    public private(set) var lastRTPTimestamp: UInt32?

    /// `initialSequence` and `initialTimestamp` should be random (the caller supplies them).
    public init(ssrc: UInt32, payloadType: UInt8, clockRate: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.ssrc = ssrc
        self.payloadType = payloadType & 0x7F
        self.clockRate = clockRate
        self.nextSequenceNumber = initialSequence
        self.timestampOffset = initialTimestamp
    }

    /// The RTP timestamp for `mediaTimestamp` ticks since the stream started.
    public func rtpTimestamp(forMediaTimestamp mediaTimestamp: UInt32) -> UInt32 {
        mediaTimestamp &+ timestampOffset
    }

    /// Wraps the payloads of one frame (all sampled at `timestamp`, in media clock ticks since the
    /// start) into consecutive RTP packets and counts them as sent.
    public mutating func packets(for payloads: [[UInt8]], timestamp: UInt32, marker: Marker = .lastPacket) -> [RTPPacket] {
        let rtpTimestamp = rtpTimestamp(forMediaTimestamp: timestamp)
        var packets: [RTPPacket] = []
        packets.reserveCapacity(payloads.count)
        for (index, payload) in payloads.enumerated() {
            let marked = switch marker {
            case .lastPacket: index == payloads.count - 1
            case .firstPacket: index == 0
            case .none: false
            }
            packets.append(RTPPacket(
                marker: marked,
                payloadType: payloadType,
                sequenceNumber: nextSequenceNumber,
                timestamp: rtpTimestamp,
                ssrc: ssrc,
                payload: payload
            ))
            nextSequenceNumber &+= 1
            packetCount &+= 1
            octetCount &+= UInt32(truncatingIfNeeded: payload.count)
        }
        if !payloads.isEmpty { lastRTPTimestamp = rtpTimestamp }
        return packets
    }

    /// A sender report for this stream. `rtpTimestamp` is in media clock ticks since the start,
    /// like `packets(for:timestamp:)`, and must correspond to the instant `ntp`; the random
    /// offset is added here.
    public func senderReport(ntp: NTPTimestamp, rtpTimestamp: UInt32, reportBlocks: [RTCPReportBlock] = []) -> RTCPSenderReport {
        RTCPSenderReport(
            ssrc: ssrc,
            ntpTimestamp: ntp,
            rtpTimestamp: self.rtpTimestamp(forMediaTimestamp: rtpTimestamp),
            packetCount: packetCount,
            octetCount: octetCount,
            reportBlocks: reportBlocks
        )
    }
}
