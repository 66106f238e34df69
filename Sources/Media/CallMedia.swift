import Logging
import RTP
import SRTP
import Synchronization

/// The kiosk's end of one call's media. It binds a UDP socket per stream (audio, video) when it is made,
/// before the SDP offer, so the offer can name the ports; `prepare` (while the offer is out) readies the
/// audio sender without sending; `start` sends and receives as the negotiation decided, `update`
/// follows a re-INVITE, `stop` ends it all. The call engine translates the SDP
/// outcome into a `Plan`; this module knows nothing of SDP.
///
/// Sockets: each stream has its RTP socket and, on the port above, an RTCP socket. The kiosk always
/// offers rtcp-mux (RFC 5761), and then both RTP and RTCP use the RTP socket; when the answer refuses
/// it, RTCP goes from the port above to the peer's RTCP port, and arrives there. Both are bound from
/// the start, so the fallback never finds its port taken.
///
/// Sending is the `MediaStreamer` pipeline, one per stream, from those sockets (symmetric RTP, RFC
/// 4961: the peer sees packets come from the port the SDP named) with the negotiated payload types
/// and the kiosk's keys. Privacy: the camera is opened only while the video plan says `sends` (the
/// kiosk's default is one-way video: the agent is seen, the customer's camera stays closed).
///
/// Receiving: a thread per stream polls its two sockets, tells RTP from RTCP (RFC 5761), unprotects with
/// the peer's key, parses and counts; accepted packets of the negotiated payload type go to the `sink`
/// (the decoders' hook) and the last few are kept.
public final class CallMedia: Sendable {
    /// What the negotiation decided, as the media needs it.
    public struct Plan: Sendable, Equatable {
        /// The peer's media address (the SDP's `c=`).
        public var remoteHost: String
        /// Nil: the stream is not in the call (rejected, or not offered); nothing is sent, and whatever
        /// arrives on its socket is dropped.
        public var audio: StreamPlan?
        public var video: StreamPlan?
        /// The agent's shared content, received only (its `sends` is ignored).
        public var content: StreamPlan?

        public init(remoteHost: String, audio: StreamPlan?, video: StreamPlan?, content: StreamPlan? = nil) {
            self.remoteHost = remoteHost
            self.audio = audio
            self.video = video
            self.content = content
        }

        public subscript(kind: StreamKind) -> StreamPlan? {
            get {
                switch kind {
                case .audio: audio
                case .video: video
                case .content: content
                }
            }
            set {
                switch kind {
                case .audio: audio = newValue
                case .video: video = newValue
                case .content: content = newValue
                }
            }
        }
    }

    /// One negotiated stream.
    public struct StreamPlan: Sendable, Equatable, CustomStringConvertible {
        /// The peer's address for this stream when its m-line has its own `c=` (nil: the plan's).
        public var remoteHost: String?
        public var remotePort: Int
        /// Where RTCP goes without rtcp-mux (the SDP's `a=rtcp`); nil: `remotePort + 1`.
        public var remoteRTCPPort: Int?
        /// The address in `a=rtcp`, when it names one; nil: the RTP address.
        public var remoteRTCPHost: String?
        /// Both sides agreed to rtcp-mux: RTCP to and from the RTP ports.
        public var rtcpMux: Bool
        /// The payload type the kiosk puts in what it sends (the peer's number for the codec).
        public var sendPayloadType: UInt8
        /// The payload type the kiosk expects in what it receives (its own number for the codec).
        public var receivePayloadType: UInt8
        /// The kiosk sends this stream (for video: the camera is open). From the negotiated direction.
        public var sends: Bool
        /// The kiosk receives this stream.
        public var receives: Bool
        public var suite: SRTPSuite
        /// The kiosk's master key and salt (30 bytes) for what it sends; nil: plain RTP out.
        public var sendKey: [UInt8]?
        /// The peer's master key and salt for what it sends; nil only when plain RTP was allowed.
        public var receiveKey: [UInt8]?

        public init(remoteHost: String? = nil, remotePort: Int, remoteRTCPPort: Int? = nil, remoteRTCPHost: String? = nil, rtcpMux: Bool = true,
                    sendPayloadType: UInt8, receivePayloadType: UInt8, sends: Bool, receives: Bool,
                    suite: SRTPSuite = .aesCM128HMACSHA1_80, sendKey: [UInt8]?, receiveKey: [UInt8]?) {
            self.remoteHost = remoteHost
            self.remotePort = remotePort
            self.remoteRTCPPort = remoteRTCPPort
            self.remoteRTCPHost = remoteRTCPHost
            self.rtcpMux = rtcpMux
            self.sendPayloadType = sendPayloadType
            self.receivePayloadType = receivePayloadType
            self.sends = sends
            self.receives = receives
            self.suite = suite
            self.sendKey = sendKey
            self.receiveKey = receiveKey
        }

        /// Keys never reach a log line.
        public var description: String {
            let direction = sends ? (receives ? "sendrecv" : "sendonly") : (receives ? "recvonly" : "inactive")
            let rtcp = rtcpMux ? "rtcp-mux" : "rtcp \(remoteRTCPPort ?? remotePort + 1)"
            let keys = sendKey == nil && receiveKey == nil ? "RTP" : "SRTP \(suite.name)"
            return "\(remoteHost.map { "\($0) " } ?? "")port \(remotePort) \(rtcp) \(direction) pt \(sendPayloadType)/\(receivePayloadType) \(keys)"
        }

        /// The RTCP port the kiosk sends to.
        var rtcpPort: Int { rtcpMux ? remotePort : (remoteRTCPPort ?? remotePort + 1) }

        /// The RTCP address the kiosk sends to, given the plan's address.
        func rtcpHost(_ planHost: String) -> String { rtcpMux ? (remoteHost ?? planHost) : (remoteRTCPHost ?? remoteHost ?? planHost) }

        /// How the kiosk receives this stream; its reports and feedback go to the stream's RTCP address
        /// (none when that address cannot be used: receiving goes on without them).
        func receiveConfig(planHost: String, family: Int32) -> ReceiveConfig {
            let address = try? UDPAddress(host: rtcpHost(planHost), port: rtcpPort, family: family)
            return ReceiveConfig(receives: receives, payloadType: receivePayloadType, suite: suite, key: receiveKey,
                                 feedback: address.map { FeedbackRoute(address: $0, fromRTCPSocket: !rtcpMux, suite: suite, key: sendKey) })
        }
    }

    /// What the call's media did so far.
    public struct Statistics: Sendable, Equatable {
        /// The send side, summed over every sender the call ran (a re-INVITE restarts one).
        public var send: MediaStatistics
        public var audio: ReceiveStatistics
        public var video: ReceiveStatistics
        /// Nil when the call has no content socket.
        public var content: ReceiveStatistics?

        public subscript(kind: StreamKind) -> ReceiveStatistics {
            switch kind {
            case .audio: audio
            case .video: video
            case .content: content ?? ReceiveStatistics()
            }
        }
    }

    /// Gets each accepted RTP packet of the negotiated payload type, on the stream's receive thread:
    /// it must not block (hand the packet to the decoder's own queue).
    public typealias PacketSink = @Sendable (StreamKind, RTPPacket) -> Void

    /// Where the agent's decoded pictures go, on the video receive thread (as they are due, paced by the
    /// jitter buffer); it must not block (a screen takes the latest and draws on its own thread).
    public typealias PictureSink = @Sendable (VideoFrame) -> Void

    /// Where the agent's decoded voice goes (48 kHz mono), on the audio receive thread as it is due; it
    /// must not block (the speaker's queue).
    public typealias AudioSink = @Sendable ([Int16]) -> Void

    public let localHost: String
    /// The RTP ports to put in the offer's m-lines; RTCP (without rtcp-mux) is on the port above each.
    public let audioPort: Int
    public let videoPort: Int
    /// The RTP port for the agent's shared content; nil when the call was made without one.
    public let contentPort: Int?
    public var audioRTCPPort: Int { audioPort + 1 }
    public var videoRTCPPort: Int { videoPort + 1 }

    let logger: Logger
    let retryInterval: Double
    let sink: PacketSink?
    let pictureSink: PictureSink?
    let contentSink: PictureSink?
    let audioSink: AudioSink?
    /// Cleans the microphone of what the speaker plays, before the Opus encoder.
    let echoCanceller: EchoCanceller?
    let receivers: [StreamKind: ReceiveChannel]
    let sockets: [UDPEndpoint]
    let state = Mutex(State())
    /// start, update and stop run one at a time (they wait for threads to end in between).
    let operations = AsyncSerialLock()

    struct State {
        var phase = Phase.bound
        var plan: Plan?
        var settings = MediaSettings()
        var senders: [StreamKind: MediaStreamer] = [:]
        /// The audio sender `prepare` made, until `start` gives it its route (or ends it).
        var armedAudio: MediaStreamer?
        /// What senders that ended (a re-INVITE restarted them) had sent.
        var retired = MediaStatistics()
    }

    enum Phase { case bound, started, stopped }

    /// Binds the sockets: on `localHost` (an address of this machine, or "0.0.0.0" / "::" for all),
    /// ephemeral ports, or pairs (even RTP port, RTCP above) from `portRange`.
    /// - Parameters:
    ///   - keepLastPackets: accepted packets kept per stream for `recentPackets` (0: none).
    ///   - retryInterval: seconds between attempts to open a device that failed.
    ///   - sink: where accepted packets go (see `PacketSink`).
    ///   - contentSink: with one, a third pair of ports takes the agent's shared content, whose
    ///     pictures go there (when the port range holds a third pair).
    public init(localHost: String = "0.0.0.0", portRange: ClosedRange<Int>? = nil, keepLastPackets: Int = 16,
                retryInterval: Double = 5, logger: Logger = Logger(label: "kioskd.call-media"),
                sink: PacketSink? = nil, pictureSink: PictureSink? = nil, contentSink: PictureSink? = nil,
                audioSink: AudioSink? = nil, echoCanceller: EchoCanceller? = nil) throws(CallMediaError) {
        let allocator = try PortAllocator(host: localHost, range: portRange)
        var pairs = try allocator.bindPairs(2)
        if contentSink != nil, let third = try? allocator.bindPairs(1) { pairs += third }
        self.contentSink = contentSink
        self.localHost = localHost
        self.logger = logger
        self.retryInterval = retryInterval
        self.sink = sink
        self.pictureSink = pictureSink
        self.audioSink = audioSink
        self.echoCanceller = echoCanceller
        audioPort = pairs[0].rtp.localPort
        videoPort = pairs[1].rtp.localPort
        contentPort = pairs.count > 2 ? pairs[2].rtp.localPort : nil
        var receivers: [StreamKind: ReceiveChannel] = [
            .audio: ReceiveChannel(kind: .audio, rtp: pairs[0].rtp, rtcp: pairs[0].rtcp, keep: keepLastPackets),
            .video: ReceiveChannel(kind: .video, rtp: pairs[1].rtp, rtcp: pairs[1].rtcp, keep: keepLastPackets),
        ]
        if pairs.count > 2 {
            receivers[.content] = ReceiveChannel(kind: .content, rtp: pairs[2].rtp, rtcp: pairs[2].rtcp, keep: keepLastPackets)
        }
        self.receivers = receivers
        sockets = pairs.flatMap { [$0.rtp, $0.rtcp] }
    }

    deinit {
        // Dropped without stop(): signal the threads (they hold what they use, and the sockets close
        // when the last of them lets go).
        let senders = state.withLock { Array($0.senders.values) + [$0.armedAudio].compactMap { $0 } }
        senders.forEach { $0.stop() }
        receivers.values.forEach { $0.signalStop() }
    }

    /// True exactly while the camera device is open (the privacy indicator reads this).
    public var isCameraOpen: Bool { state.withLock { $0.senders[.video] }?.isCameraOpen ?? false }

    /// The plan in force (nil before `start`).
    public var plan: Plan? { state.withLock { $0.plan } }

    public var statistics: Statistics {
        let (retired, senders) = state.withLock { ($0.retired, Array($0.senders.values)) }
        let send = senders.reduce(retired) { $0.adding($1.statistics) }
        return Statistics(send: send, audio: receivers[.audio]!.statistics, video: receivers[.video]!.statistics,
                          content: receivers[.content]?.statistics)
    }

    /// The last accepted packets of a stream (up to `keepLastPackets`), oldest first.
    public func recentPackets(_ kind: StreamKind) -> [RTPPacket] { receivers[kind]?.recentPackets ?? [] }

    /// Gets ready while the offer is out, so the answer only has to say where audio goes: the audio
    /// sender makes its encoder and opens the microphone, reading it without sending anything. The
    /// camera stays closed. Receiving waits for `start` (what the peer sends before its answer was
    /// handled waits in the sockets, to be read with its keys). Does nothing after `start` or `stop`,
    /// or when called twice.
    public func prepare(settings: MediaSettings) async {
        await operations.lock()
        defer { operations.unlock() }
        let armed: MediaStreamer? = state.withLock { s in
            guard s.phase == .bound, s.armedAudio == nil else { return nil }
            s.armedAudio = MediaStreamer(armedAudio: settings, retryInterval: retryInterval, echoCanceller: echoCanceller, logger: logger)
            return s.armedAudio
        }
        armed?.start()
    }

    /// Starts sending and receiving as `plan` says, with `settings`' devices and codec settings (their
    /// payload types are replaced by the plan's). After `prepare`, the audio sender made then sends
    /// its newest block before this returns.
    public func start(plan: Plan, settings: MediaSettings) async throws(CallMediaError) {
        await operations.lock()
        defer { operations.unlock() }
        switch state.withLock({ $0.phase }) {
        case .bound: break
        case .started: throw .alreadyStarted
        case .stopped: throw .stopped
        }
        try validate(plan)
        let armed = state.withLock { $0.armedAudio }
        var senders: [StreamKind: MediaStreamer] = [:]
        for kind in StreamKind.allCases where !(kind == .audio && armed != nil) {
            if let sender = try makeSender(kind, plan: plan, settings: settings) { senders[kind] = sender }
        }
        // The prepared audio sender: its route now, or its end when the answer does not take our audio.
        var released = false
        if let armed, let route = try makeRoute(.audio, plan: plan) {
            do {
                released = try armed.release(audio: route)
            } catch {
                throw .invalidPlan("audio: \(error)")
            }
            if released { senders[.audio] = armed }
        }
        state.withLock {
            $0.phase = .started
            $0.plan = plan
            $0.settings = settings
            $0.senders = senders
            $0.armedAudio = nil
        }
        if let armed, !released {
            armed.stop()
            await armed.waitUntilFinished()
            state.withLock { $0.retired = $0.retired.adding(armed.statistics) }
        }
        for (kind, channel) in receivers {
            channel.configure(receiveConfig(kind, plan))
            // A PLI or FIR from the peer (RFC 4585, 5104) asks the kiosk's video encoder for a key frame;
            // a NACK has the video sender send the lost packets again.
            channel.start(ReceiveChannel.Handlers(
                sink: sink,
                keyFrame: { [weak self] in self?.state.withLock { $0.senders[.video] }?.requestKeyFrame() },
                nack: { [weak self] nack in self?.state.withLock { $0.senders[kind] }?.retransmit(nack) },
                picture: kind == .content ? contentSink : pictureSink, audio: audioSink))
        }
        for (kind, sender) in senders where !(kind == .audio && released) { sender.start() }
        logger.info("call media: audio \(plan.audio.map { "\($0)" } ?? "none"), video \(plan.video.map { "\($0)" } ?? "none") → \(plan.remoteHost)")
    }

    /// Follows a re-INVITE: a stream whose sending changed (direction, address, payload type, key)
    /// gets a new sender (the old one ends with an RTCP BYE; turning video off closes the camera before
    /// this returns, turning it on opens it); receiving goes on, with the new key if it changed.
    public func update(plan: Plan) async throws(CallMediaError) {
        await operations.lock()
        defer { operations.unlock() }
        let (phase, old, settings) = state.withLock { ($0.phase, $0.plan, $0.settings) }
        guard phase == .started, let old else { throw phase == .stopped ? .stopped : .notStarted }
        try validate(plan)
        // Make the new senders first, so a plan they cannot follow (an unusable address) changes nothing.
        var replacements: [(StreamKind, MediaStreamer?)] = []
        for kind in StreamKind.allCases where SendSide(plan, kind) != SendSide(old, kind) {
            replacements.append((kind, try makeSender(kind, plan: plan, settings: settings)))
        }
        for (kind, channel) in receivers {
            channel.configure(receiveConfig(kind, plan))
        }
        for (kind, replacement) in replacements {
            // The old sender stays in place until it has ended, so isCameraOpen holds while its camera closes.
            if let previous = state.withLock({ $0.senders[kind] }) {
                previous.stop()
                await previous.waitUntilFinished()
                state.withLock {
                    $0.senders[kind] = nil
                    $0.retired = $0.retired.adding(previous.statistics)
                }
            }
            if let replacement {
                state.withLock { $0.senders[kind] = replacement }
                replacement.start()
            }
            logger.info("call media: \(kind) now \(plan[kind].map { "\($0)" } ?? "none")")
        }
        state.withLock { $0.plan = plan }
    }

    /// Stops sending (each sender ends with an RTCP BYE) and receiving, and closes the sockets. Safe to
    /// call twice, and before `start`.
    public func stop() async {
        await operations.lock()
        defer { operations.unlock() }
        let senders: [MediaStreamer]? = state.withLock { s in
            guard s.phase != .stopped else { return nil }
            s.phase = .stopped
            // A prepared audio sender the answer never released ends here too.
            if let armed = s.armedAudio { s.senders[.audio] = armed }
            s.armedAudio = nil
            return Array(s.senders.values)
        }
        guard let senders else { return }
        senders.forEach { $0.stop() }
        receivers.values.forEach { $0.signalStop() }
        for sender in senders { await sender.waitUntilFinished() }
        for receiver in receivers.values { await receiver.waitUntilStopped() }
        state.withLock { s in
            s.retired = s.senders.values.reduce(s.retired) { $0.adding($1.statistics) }
            s.senders = [:]
        }
        // Every thread that used the sockets has ended.
        sockets.forEach { $0.close() }
        let s = statistics
        logger.info("call media stopped: sent audio \(s.send.audioPacketsSent) video \(s.send.videoPackets) packets; received audio \(s.audio.packets) (lost \(s.audio.lost), SRTP failures \(s.audio.srtpFailures)), video \(s.video.packets) (lost \(s.video.lost), SRTP failures \(s.video.srtpFailures))")
    }

    /// What decides a stream's sender (nil: none); a re-INVITE that changes it restarts the sender.
    private struct SendSide: Equatable {
        var host: String
        var port: Int
        var rtcpHost: String
        var rtcpPort: Int
        var rtcpMux: Bool
        var payloadType: UInt8
        var suite: SRTPSuite
        var key: [UInt8]?

        init?(_ plan: Plan, _ kind: StreamKind) {
            guard let stream = plan[kind], stream.sends else { return nil }
            host = stream.remoteHost ?? plan.remoteHost
            port = stream.remotePort
            rtcpHost = stream.rtcpHost(plan.remoteHost)
            rtcpPort = stream.rtcpPort
            rtcpMux = stream.rtcpMux
            payloadType = stream.sendPayloadType
            suite = stream.suite
            key = stream.sendKey
        }
    }

    private func validate(_ plan: Plan) throws(CallMediaError) {
        for kind in StreamKind.allCases {
            guard let stream = plan[kind] else { continue }
            if receivers[kind] == nil { throw .invalidPlan("\(kind): this call has no socket for it") }
            for port in [stream.remotePort, stream.rtcpPort] where !(1...65_535).contains(port) {
                throw .invalidPlan("\(kind): port \(port) is out of range")
            }
            for key in [stream.sendKey, stream.receiveKey] {
                if let key, key.count != SRTPSuite.keyAndSaltLength {
                    throw .invalidPlan("\(kind): an SRTP key and salt must be \(SRTPSuite.keyAndSaltLength) bytes, not \(key.count)")
                }
            }
        }
    }

    private func receiveConfig(_ kind: StreamKind, _ plan: Plan) -> ReceiveConfig? {
        guard let channel = receivers[kind] else { return nil }
        return plan[kind]?.receiveConfig(planHost: plan.remoteHost, family: channel.rtp.family)
    }

    /// Where one stream's packets go (its sockets aimed at the peer, key, payload type), or nil when
    /// the plan does not send it.
    private func makeRoute(_ kind: StreamKind, plan: Plan) throws(CallMediaError) -> StreamRoute? {
        // The kiosk never sends content; only the audio and video streams have senders.
        guard kind != .content, let stream = plan[kind], stream.sends, let channel = receivers[kind] else { return nil }
        let host = stream.remoteHost ?? plan.remoteHost
        do {
            let rtp = try UDPSocket(endpoint: channel.rtp, host: host, port: stream.remotePort)
            let rtcp = stream.rtcpMux ? rtp : try UDPSocket(endpoint: channel.rtcp, host: stream.rtcpHost(plan.remoteHost), port: stream.rtcpPort)
            return StreamRoute(rtp: rtp, rtcp: rtcp, suite: stream.suite, keyAndSalt: stream.sendKey, payloadType: stream.sendPayloadType)
        } catch {
            throw .remote(kind: kind, error)
        }
    }

    /// The sender for one stream, or nil when the plan does not send it. The video sender is the only
    /// thing that opens the camera, and it is made only here, only when the video plan `sends`.
    private func makeSender(_ kind: StreamKind, plan: Plan, settings: MediaSettings) throws(CallMediaError) -> MediaStreamer? {
        guard let route = try makeRoute(kind, plan: plan), let stream = plan[kind] else { return nil }
        let host = stream.remoteHost ?? plan.remoteHost
        let destination = MediaDestination(host: host, videoPort: kind == .video ? stream.remotePort : 0,
                                           audioPort: kind == .audio ? stream.remotePort : 0, rtcpMux: stream.rtcpMux)
        return MediaStreamer(settings: settings, video: kind == .video ? route : nil, audio: kind == .audio ? route : nil,
                             destination: destination, retryInterval: retryInterval,
                             echoCanceller: kind == .audio ? echoCanceller : nil, logger: logger)
    }
}

/// Why a call's media could not be set up or changed.
public enum CallMediaError: Error, Equatable, CustomStringConvertible {
    /// No local ports could be bound.
    case bind(UDPSocket.SocketError)
    /// Every pair of ports in the configured range is taken.
    case noFreePorts(ClosedRange<Int>)
    /// A port range that cannot hold two pairs of ports, or lies outside 1...65535.
    case badPortRange(ClosedRange<Int>)
    /// The peer's address for a stream cannot be used.
    case remote(kind: StreamKind, UDPSocket.SocketError)
    case invalidPlan(String)
    case alreadyStarted
    case notStarted
    case stopped

    public var description: String {
        switch self {
        case let .bind(error): return "call media: \(error)"
        case let .noFreePorts(range): return "call media: no free pair of UDP ports in \(range.lowerBound)-\(range.upperBound)"
        case let .badPortRange(range): return "call media: RTP port range \(range.lowerBound)-\(range.upperBound) must lie in 1-65535 and hold 4 ports (2 even/odd pairs)"
        case let .remote(kind, error): return "call media: \(kind): \(error)"
        case let .invalidPlan(reason): return "call media: \(reason)"
        case .alreadyStarted: return "call media: already started"
        case .notStarted: return "call media: not started"
        case .stopped: return "call media: stopped"
        }
    }
}

extension MediaStatistics {
    /// The counts of two senders' runs added up; sources, sizes and rates are the later one's.
    func adding(_ other: MediaStatistics) -> MediaStatistics {
        var sum = self
        if !other.videoSource.isEmpty {
            sum.videoSource = other.videoSource
            sum.videoSize = other.videoSize
            sum.videoMeasuredFPS = other.videoMeasuredFPS
        }
        if !other.audioSource.isEmpty { sum.audioSource = other.audioSource }
        sum.videoFramesCaptured += other.videoFramesCaptured
        sum.videoFramesSent += other.videoFramesSent
        sum.videoKeyFrames += other.videoKeyFrames
        sum.videoRetransmissions += other.videoRetransmissions
        sum.videoPackets += other.videoPackets
        sum.videoBytes += other.videoBytes
        sum.audioPacketsSent += other.audioPacketsSent
        sum.audioBytes += other.audioBytes
        sum.audioOverruns += other.audioOverruns
        sum.cameraOpens += other.cameraOpens
        sum.deviceErrors += other.deviceErrors
        return sum
    }
}

/// A lock for async code that waits without blocking a thread: first come, first served.
final class AsyncSerialLock: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func lock() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s in
                if !s.busy {
                    s.busy = true
                    return true
                }
                s.waiters.append(c)
                return false
            }
            if granted { c.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.waiters.isEmpty else {
                s.busy = false
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
