import RTP
import SRTP

/// Where a stream's receiver sends its RTCP: the peer's RTCP address, from the RTP socket (rtcp-mux) or
/// the RTCP one, protected with the kiosk's own key for the stream (what the kiosk sends is protected
/// with the kiosk's key, RFC 4568).
struct FeedbackRoute: Sendable, Equatable {
    var address: UDPAddress
    var fromRTCPSocket: Bool
    var suite: SRTPSuite
    /// Nil: plain RTCP (a lab that allowed plain RTP).
    var key: [UInt8]?
}

/// The receiving side's own RTCP toward the peer: receiver reports about what arrives (loss, jitter,
/// LSR/DLSR for the peer's round-trip time), and for video the NACKs and PLIs the `VideoReceiver`
/// asks for, each in a compound packet that starts with the report (RFC 3550 §6.1, RFC 4585 §3.1).
///
/// It sends under an SSRC of its own, with an outbound SRTCP context of its own: the kiosk's sender for
/// the same stream (another thread, another SSRC) has its own context, so the two never share an SRTCP
/// index. Lives on the stream's receive thread.
final class RTCPFeedbackSender {
    let ssrc: UInt32
    private let cname: String
    private let route: FeedbackRoute
    private let endpoint: UDPEndpoint
    private let session: SRTPSession?
    private let clockRate: Int
    private var sources: [UInt32: ReceiverStatistics] = [:]
    private var nextReport: ContinuousClock.Instant?
    /// Regular reports about once a second; the jitter of ±50 % keeps senders from falling into step.
    private let reportInterval: Duration = .seconds(1)
    private var rng = SystemRandomNumberGenerator()
    private(set) var sent = 0
    private(set) var failures = 0

    init(route: FeedbackRoute, endpoint: UDPEndpoint, clockRate: Int) {
        var rng = SystemRandomNumberGenerator()
        ssrc = rng.next()
        cname = "kioskd-\(String(rng.next() as UInt32, radix: 16))"
        self.route = route
        self.endpoint = endpoint
        self.clockRate = clockRate
        session = route.key.flatMap { try? SRTPSession(suite: route.suite, keyAndSalt: $0, direction: .outbound) }
    }

    func packetReceived(_ packet: RTPPacket, at now: ContinuousClock.Instant) {
        sources[packet.ssrc, default: ReceiverStatistics(ssrc: packet.ssrc, clockRate: clockRate)]
            .packetReceived(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, at: now)
        if nextReport == nil { nextReport = now + reportInterval }
    }

    func senderReportReceived(_ report: RTCPSenderReport, at now: ContinuousClock.Instant) {
        sources[report.ssrc]?.senderReportReceived(report, at: now)
    }

    /// When the next regular report is due.
    var nextWakeup: ContinuousClock.Instant? { nextReport }

    /// Sends the regular report when it is due.
    func tick(at now: ContinuousClock.Instant) {
        guard let due = nextReport, now >= due else { return }
        send([], at: now)
    }

    /// Sends feedback now: NACKed sequence numbers and/or a PLI for `mediaSSRC`, behind a report.
    func sendFeedback(nack: [UInt16], pictureLoss: Bool, mediaSSRC: UInt32, at now: ContinuousClock.Instant) {
        var extra: [RTCPPacket] = []
        if !nack.isEmpty { extra.append(.genericNack(RTCPGenericNack(senderSSRC: ssrc, mediaSSRC: mediaSSRC, missing: nack))) }
        if pictureLoss { extra.append(.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: ssrc, mediaSSRC: mediaSSRC))) }
        guard !extra.isEmpty else { return }
        send(extra, at: now)
    }

    private func send(_ feedback: [RTCPPacket], at now: ContinuousClock.Instant) {
        // At most 31 report blocks fit one report; a call has one source per stream.
        let blocks = sources.keys.sorted().prefix(31).compactMap { key -> RTCPReportBlock? in
            guard sources[key]?.isValid == true else { return nil }
            return sources[key]?.makeReportBlock(at: now)
        }
        let compound = RTCPPacket.serializeCompound(
            [.receiverReport(RTCPReceiverReport(ssrc: ssrc, reportBlocks: Array(blocks))),
             .sourceDescription(RTCPSourceDescription(ssrc: ssrc, cname: cname))] + feedback)
        let jitter = Double.random(in: 0.5...1.5, using: &rng)
        nextReport = now + reportInterval * jitter
        var wire = compound
        if route.key != nil {
            // A key that made no session (checked before, so never expected) sends nothing in the clear.
            guard let session, let protected = try? session.protectRTCP(compound) else {
                failures += 1
                return
            }
            wire = protected
        }
        if endpoint.send(wire, to: route.address) { sent += 1 } else { failures += 1 }
    }
}
