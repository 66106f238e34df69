import RTP
import SRTP
import Synchronization

/// A call's media stream: the microphone's and the camera's, each on its own socket.
public enum StreamKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case audio
    case video
    /// The agent's shared content (a second video stream, `a=content:slides`): received only.
    case content
    public var description: String { rawValue }
}

/// What arrived on one stream of a call so far. Counts are of datagrams as they came off the socket.
public struct ReceiveStatistics: Sendable, Equatable {
    /// RTP packets accepted: authenticated (with SRTP) and well-formed.
    public var packets = 0
    /// Their bytes on the wire (SRTP tag included).
    public var bytes = 0
    /// The SSRCs the accepted packets carried (one per sender; a sender that restarts gets a new one).
    public var ssrcs: Set<UInt32> = []
    /// The payload types the accepted packets carried.
    public var payloadTypes: Set<UInt8> = []
    /// Accepted packets whose payload type is not the negotiated one (not handed on to the sink).
    public var otherPayloadType = 0
    /// Packets missing from the sequence numbers, over all SSRCs (RFC 3550 A.3: expected − received,
    /// so a late packet makes up for its gap; never negative).
    public var lost = 0
    /// Interarrival jitter (RFC 3550 §6.4.1, A.8) of the sender last heard, in milliseconds through the
    /// stream's clock rate (48 kHz audio, 90 kHz video): the mean deviation of the packets' spacing on
    /// arrival from their spacing in RTP time. Of the packets handed on (the negotiated payload type);
    /// nil until a sender has sent two in sequence.
    public var jitterMilliseconds: Double?
    /// Datagrams that failed SRTP/SRTCP authentication or replay checks (a wrong key, a forgery, a
    /// duplicate). Counted and dropped, never fatal.
    public var srtpFailures = 0
    public var lastSRTPError: SRTPError?
    /// RTCP compound packets accepted, and the BYEs among their packets.
    public var rtcpPackets = 0
    public var rtcpByes = 0
    /// Picture loss indications and full intra requests among them (RFC 4585, RFC 5104): the peer asks
    /// for a key frame of what the kiosk sends.
    public var keyFrameRequests = 0
    /// Generic NACKs among them: the peer lost some of what the kiosk sends.
    public var nacksReceived = 0
    /// The agent's video on its way to the screen (nil for audio, or before it started).
    public var pictures: VideoReceiveStatistics?
    /// The agent's voice on its way to the speaker (nil for video, or before it started).
    public var sound: AudioReceiveStatistics?
    /// Receiver reports and feedback the kiosk sent about this stream.
    public var rtcpSent = 0
    /// Authentic packets far (3000 and more) from where their stream was: a restart, or a replay.
    public var sequenceJumps = 0
    /// Datagrams that are not RTP or RTCP (STUN, garbage, truncated headers): counted and dropped.
    public var malformed = 0
    /// Datagrams that came while the plan had no such stream (or before `start`), dropped unread.
    public var ignored = 0
    /// Accepted RTP packets that came although the plan says the kiosk does not receive this stream.
    public var unrequested = 0
    /// When the last accepted RTP or RTCP packet arrived (`MonotonicClock.nowNanos()`); nil before the
    /// first. Garbage and packets that fail authentication do not count: a media time-out reads this.
    public var lastArrivalNanos: UInt64?

    public init() {}
}

/// How the kiosk receives one stream: the peer's key, the payload type it expects, whether it wants it.
struct ReceiveConfig: Sendable, Equatable {
    var receives: Bool
    var payloadType: UInt8
    var suite: SRTPSuite
    /// Nil: plain RTP.
    var key: [UInt8]?
    /// Where the receiver's reports and feedback go; nil: none are sent.
    var feedback: FeedbackRoute?
}

/// Counts sequence numbers of one SSRC as RFC 3550 appendix A.1 and A.3 do: extended to 32 bits
/// across wraps; a jump of more than `maxJump` either way is taken as a restarted sender.
struct SequenceTracker {
    static let maxJump: Int64 = 3000
    private var base: Int64
    private var highest: Int64
    private var received: Int64 = 1
    /// Loss counted before the last restart.
    private var carried = 0

    init(first: UInt16) {
        base = Int64(first)
        highest = base
    }

    mutating func add(_ sequence: UInt16) {
        let delta = Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highest)))
        if abs(delta) > Self.maxJump {
            carried = lost
            base = Int64(sequence)
            highest = base
            received = 1
            return
        }
        received += 1
        if delta > 0 { highest += delta }
    }

    var lost: Int { carried + Int(max(0, highest - base + 1 - received)) }
}

/// The receive side of one stream without I/O: datagrams in, counts and accepted RTP packets out. It owns
/// the inbound SRTP session, so it lives on one thread (the stream's receive thread).
final class InboundStream {
    let kind: StreamKind
    private(set) var config: ReceiveConfig?
    private var session: SRTPSession?
    private var sequences: [UInt32: SequenceTracker] = [:]
    /// Per sender, for the interarrival jitter (the loss above is counted on every accepted packet).
    private var arrivals: [UInt32: ReceiverStatistics] = [:]
    private(set) var statistics = ReceiveStatistics()

    /// The stream's RTP clock (RFC 7587 Opus: 48 kHz; RFC 7741 VP8: 90 kHz).
    var clockRate: Int { kind == .audio ? 48_000 : 90_000 }

    init(kind: StreamKind, config: ReceiveConfig?) {
        self.kind = kind
        reconfigure(config)
    }

    /// A new plan (re-INVITE). A changed key or suite gets a fresh SRTP session; counts go on.
    func reconfigure(_ new: ReceiveConfig?) {
        defer { config = new }
        guard let new, let key = new.key else {
            session = nil
            return
        }
        if let old = config, old.key == key, old.suite == new.suite, session != nil { return }
        // The plan was checked (30-byte key) before it got here; should a session still fail, every
        // packet is counted as an SRTP failure rather than taken in the clear.
        // A wide replay window: a retransmitted video packet arrives a round trip after its neighbours,
        // which at a few hundred packets a second is past libsrtp's default of 128.
        session = try? SRTPSession(suite: new.suite, keyAndSalt: key, direction: .inbound, replayWindow: kind == .audio ? 128 : 1024)
    }

    /// Set when an accepted RTCP packet asked for a key frame; the caller clears it.
    var keyFrameRequested = false
    /// Accepted RTCP packets other than those counted here, for the caller to act on (sender reports,
    /// NACKs); the caller empties it.
    var rtcpToHandle: [RTCPPacket] = []

    /// One datagram off the socket at `now`: the RTP packet for the sink when it was accepted, of the
    /// negotiated payload type, and the kiosk receives this stream; nil otherwise (counted either way).
    func receive(_ datagram: [UInt8], now: UInt64) -> RTPPacket? {
        guard let config else {
            statistics.ignored += 1
            return nil
        }
        switch RTPMuxedPacketKind(classifying: datagram) {
        case .other:
            statistics.malformed += 1
            return nil
        case .rtcp:
            receiveRTCP(datagram, config: config, now: now)
            return nil
        case .rtp:
            return receiveRTP(datagram, config: config, now: now)
        }
    }

    /// Where each SSRC's stream is (the highest sequence number its session authenticated).
    private var highest: [UInt32: UInt16] = [:]
    /// A separate session for packets far from where their stream is, and the last such packet.
    private var candidate: (session: SRTPSession, ssrc: UInt32, last: UInt16?)?
    /// A jump this far either way is not the stream going on (as the jitter buffer sees it too).
    static let sequenceJump: Int = 3000

    private func receiveRTP(_ datagram: [UInt8], config: ReceiveConfig, now: UInt64) -> RTPPacket? {
        var plain = datagram
        if let key = config.key {
            guard let session else {
                failed(.libsrtp(code: 1))
                return nil
            }
            // The RTP header is in the clear: where the packet is in its stream is known before it is
            // authenticated. libsrtp's replay window follows the highest index it authenticated, so one
            // authentic packet far ahead (a sender that jumped, or a packet replayed by someone with the
            // key) would make every later packet of the stream "too old" and freeze the picture. Such a
            // packet goes through a session of its own; only a run that goes on from it (a sender that
            // really restarted) takes the stream over.
            let (ssrc, sequence) = datagram.count >= 12
                ? (UInt32(datagram[8]) << 24 | UInt32(datagram[9]) << 16 | UInt32(datagram[10]) << 8 | UInt32(datagram[11]),
                   UInt16(datagram[2]) << 8 | UInt16(datagram[3]))
                : (0, 0)
            let far = highest[ssrc].map { abs(Int(Int16(bitPattern: sequence &- $0))) > Self.sequenceJump } ?? false
            do {
                if far {
                    if candidate?.ssrc != ssrc {
                        candidate = (try SRTPSession(suite: config.suite, keyAndSalt: key, direction: .inbound, replayWindow: 1024), ssrc, nil)
                    }
                    plain = try candidate!.session.unprotect(srtp: datagram)
                    statistics.sequenceJumps += 1
                    if let last = candidate?.last, (1...100).contains(Int(Int16(bitPattern: sequence &- last))) {
                        self.session = candidate!.session
                        highest[ssrc] = sequence
                        candidate = nil
                    } else {
                        candidate?.last = sequence
                    }
                } else {
                    plain = try session.unprotect(srtp: datagram)
                    if let top = highest[ssrc] {
                        if Int16(bitPattern: sequence &- top) > 0 { highest[ssrc] = sequence }
                    } else {
                        highest[ssrc] = sequence
                    }
                    // The stream went on where it was: a far packet before was not a restart.
                    if candidate?.ssrc == ssrc { candidate = nil }
                }
            } catch .packetTooShort {
                statistics.malformed += 1
                return nil
            } catch {
                failed(error)
                return nil
            }
        }
        guard let packet = try? RTPPacket(parsing: plain) else {
            statistics.malformed += 1
            return nil
        }
        statistics.packets += 1
        statistics.bytes += datagram.count
        statistics.ssrcs.insert(packet.ssrc)
        statistics.payloadTypes.insert(packet.payloadType)
        statistics.lastArrivalNanos = now
        if var tracker = sequences[packet.ssrc] {
            tracker.add(packet.sequenceNumber)
            sequences[packet.ssrc] = tracker
        } else {
            sequences[packet.ssrc] = SequenceTracker(first: packet.sequenceNumber)
        }
        statistics.lost = sequences.values.reduce(0) { $0 + $1.lost }
        guard packet.payloadType == config.payloadType else {
            statistics.otherPayloadType += 1
            return nil
        }
        guard config.receives else {
            statistics.unrequested += 1
            return nil
        }
        // A sender that restarted under a new SSRC is a new entry; the old ones stay few (one per restart).
        if arrivals[packet.ssrc] == nil, arrivals.count >= 8 { arrivals.removeAll() }
        arrivals[packet.ssrc, default: ReceiverStatistics(ssrc: packet.ssrc, clockRate: clockRate)]
            .packetReceived(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, arrivalNanoseconds: Int64(clamping: now))
        if let source = arrivals[packet.ssrc], source.isValid { statistics.jitterMilliseconds = source.jitterSeconds * 1000 }
        return packet
    }

    private func receiveRTCP(_ datagram: [UInt8], config: ReceiveConfig, now: UInt64) {
        var plain = datagram
        if config.key != nil {
            guard let session else { return failed(.libsrtp(code: 1)) }
            do {
                plain = try session.unprotectRTCP(srtcp: datagram)
            } catch .packetTooShort {
                statistics.malformed += 1
                return
            } catch {
                return failed(error)
            }
        }
        guard let packets = try? RTCPPacket.parseCompound(plain) else {
            statistics.malformed += 1
            return
        }
        statistics.rtcpPackets += 1
        statistics.lastArrivalNanos = now
        for packet in packets {
            switch packet {
            case .bye:
                statistics.rtcpByes += 1
            // The peer lost its picture of what the kiosk sends (RFC 4585 PLI, RFC 5104 FIR).
            case .pictureLossIndication, .fullIntraRequest:
                statistics.keyFrameRequests += 1
                keyFrameRequested = true
            case .genericNack:
                statistics.nacksReceived += 1
                if rtcpToHandle.count < 64 { rtcpToHandle.append(packet) }
            case .senderReport, .receiverReport:
                if rtcpToHandle.count < 64 { rtcpToHandle.append(packet) }
            default:
                break
            }
        }
    }

    private func failed(_ error: SRTPError) {
        statistics.srtpFailures += 1
        statistics.lastSRTPError = error
    }
}

/// What a stream's receive thread shares with the rest of CallMedia: its sockets, its plan, its counts
/// and the last packets, and the stop signal.
final class ReceiveChannel: Sendable {
    let kind: StreamKind
    /// The RTP socket, and the RTCP socket on the port above (RTCP arrives there without rtcp-mux).
    let rtp: UDPEndpoint
    let rtcp: UDPEndpoint
    let keep: Int
    private let stopping = Atomic<Bool>(false)
    private let finished = Completion()
    private let shared: Mutex<Shared>

    private struct Shared {
        var generation = 0
        var config: ReceiveConfig?
        var statistics = ReceiveStatistics()
        var recent: [RTPPacket] = []
        var thread: BlockingThread?
    }

    init(kind: StreamKind, rtp: UDPEndpoint, rtcp: UDPEndpoint, keep: Int) {
        self.kind = kind
        self.rtp = rtp
        self.rtcp = rtcp
        self.keep = max(0, keep)
        shared = Mutex(Shared())
    }

    var statistics: ReceiveStatistics { shared.withLock { $0.statistics } }
    var recentPackets: [RTPPacket] { shared.withLock { $0.recent } }

    func configure(_ config: ReceiveConfig?) {
        shared.withLock {
            $0.config = config
            $0.generation += 1
        }
    }

    /// What the receive thread hands on, each called on that thread.
    struct Handlers: Sendable {
        /// Each accepted packet.
        var sink: CallMedia.PacketSink?
        /// The peer asks for a key frame of what the kiosk sends (PLI or FIR).
        var keyFrame: @Sendable () -> Void
        /// The peer lost packets of what the kiosk sends.
        var nack: @Sendable (RTCPGenericNack) -> Void
        /// A decoded picture of the peer's video (video streams only).
        var picture: (@Sendable (VideoFrame) -> Void)?
        /// The peer's voice, decoded, as it is due (audio streams only).
        var audio: (@Sendable ([Int16]) -> Void)?
    }

    /// Starts the receive thread.
    func start(_ handlers: Handlers) {
        let thread = BlockingThread(name: "recv-\(kind)") { [self] in
            run(handlers)
            finished.finish()
        }
        shared.withLock { $0.thread = thread }
    }

    /// Signals the thread; it sees it within one poll interval.
    func signalStop() { stopping.store(true, ordering: .relaxed) }

    /// Returns once the thread (if it was started) has ended.
    func waitUntilStopped() async {
        guard let thread = shared.withLock({ $0.thread }) else { return }
        await finished.wait()
        thread.join()
    }

    private func makeFeedback(_ config: ReceiveConfig?) -> RTCPFeedbackSender? {
        guard let config, config.receives, let route = config.feedback else { return nil }
        return RTCPFeedbackSender(route: route, endpoint: route.fromRTCPSocket ? rtcp : rtp, clockRate: kind == .audio ? 48_000 : 90_000)
    }

    private func run(_ handlers: Handlers) {
        let (first, startGeneration) = shared.withLock { ($0.config, $0.generation) }
        var generation = startGeneration
        let core = InboundStream(kind: kind, config: first)
        var feedback = makeFeedback(first)
        var rtcpSent = 0
        // The agent's video: reordered, repaired, decoded and shown on this thread.
        let video = kind != .audio ? VideoReceiver(onPicture: { handlers.picture?($0) }) : nil
        // The agent's voice: decoded (concealed where lost) only when someone plays it.
        let audio = kind == .audio && handlers.audio != nil ? AudioReceiver(onAudio: { handlers.audio?($0) }) : nil
        let endpoints = [rtp, rtcp]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !stopping.load(ordering: .relaxed) {
            // A short poll keeps stop prompt; datagrams wait in the socket's buffer meanwhile. It is
            // shorter when a frame is due or a NACK is to be repeated.
            var timeout: Int32 = 50
            if let wake = [video?.nextWakeup, audio?.nextWakeup, feedback?.nextWakeup].compactMap({ $0 }).min() {
                let left = (wake - ContinuousClock.now).components
                let millis = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
                timeout = Int32(max(0, min(50, millis)))
            }
            let ready = UDPEndpoint.waitReadable(endpoints, timeoutMillis: timeout)
            let (config, current) = shared.withLock { ($0.config, $0.generation) }
            if current != generation {
                core.reconfigure(config)
                if config?.feedback != core.config?.feedback || feedback == nil { feedback = makeFeedback(config) }
                generation = current
            }
            var accepted: [RTPPacket] = []
            for (index, endpoint) in endpoints.enumerated() where ready[index] {
                // Drain what is queued, a bounded batch so the stop flag is looked at now and then.
                var count = 0
                while count < 512, !stopping.load(ordering: .relaxed), let datagram = endpoint.receive(into: &buffer) {
                    count += 1
                    let now = ContinuousClock.now
                    if let packet = core.receive(datagram, now: MonotonicClock.nowNanos()) {
                        accepted.append(packet)
                        handlers.sink?(kind, packet)
                        feedback?.packetReceived(packet, at: now)
                        video?.receive(packet, at: now)
                        audio?.receive(packet, at: now)
                    }
                }
            }
            let now = ContinuousClock.now
            for packet in core.rtcpToHandle {
                switch packet {
                case let .genericNack(nack): handlers.nack(nack)
                case let .senderReport(report):
                    feedback?.senderReportReceived(report, at: now)
                    roundTrip(report.reportBlocks, video: video)
                case let .receiverReport(report):
                    roundTrip(report.reportBlocks, video: video)
                default: break
                }
            }
            core.rtcpToHandle.removeAll()
            if core.keyFrameRequested {
                core.keyFrameRequested = false
                handlers.keyFrame()
            }
            if let video {
                let wanted = video.poll(at: now)
                if !wanted.isEmpty, let ssrc = video.mediaSSRC {
                    feedback?.sendFeedback(nack: wanted.nack, pictureLoss: wanted.pictureLoss, mediaSSRC: ssrc, at: now)
                }
            }
            audio?.poll(at: now)
            feedback?.tick(at: now)
            rtcpSent = max(rtcpSent, feedback?.sent ?? 0)
            var statistics = core.statistics
            statistics.pictures = video?.statistics
            statistics.sound = audio?.statistics
            statistics.rtcpSent = rtcpSent
            shared.withLock { s in
                s.statistics = statistics
                guard keep > 0, !accepted.isEmpty else { return }
                s.recent.append(contentsOf: accepted.suffix(keep))
                if s.recent.count > keep { s.recent.removeFirst(s.recent.count - keep) }
            }
        }
    }

    /// The peer's report on what the kiosk sends carries LSR/DLSR: the round-trip time paces NACKs and PLIs.
    private func roundTrip(_ blocks: [RTCPReportBlock], video: VideoReceiver?) {
        let arrival = NTPTimestamp.now()
        for block in blocks {
            if let rtt = block.roundTripTime(arrival: arrival), rtt < .seconds(5) { video?.roundTripTime(rtt) }
        }
    }
}

/// A one-shot signal a thread gives when it ends, for async code to wait on without blocking a thread
/// of the cooperative pool.
final class Completion: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func finish() {
        let waiters = state.withLock { s in
            s.done = true
            defer { s.waiters = [] }
            return s.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s in
                if s.done { return true }
                s.waiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }
}
