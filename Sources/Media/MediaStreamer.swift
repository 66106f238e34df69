import Logging
import RTP
import SRTP
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where the streams go: RTP to `host` on the video and audio ports, RTCP on the port above each
/// (RFC 3550) unless RTCP is multiplexed on the RTP port (RFC 5761). With `srtp` keys, both go out
/// protected (SRTP and SRTCP, RFC 3711), each stream with its own key.
public struct MediaDestination: Sendable, Equatable {
    public var host: String
    public var videoPort: Int
    public var audioPort: Int
    public var rtcpMux: Bool
    public var srtp: SRTPKeys?

    public init(host: String, videoPort: Int, audioPort: Int, rtcpMux: Bool = false, srtp: SRTPKeys? = nil) {
        self.host = host
        self.videoPort = videoPort
        self.audioPort = audioPort
        self.rtcpMux = rtcpMux
        self.srtp = srtp
    }
}

/// What the pipeline did so far; read by logs, the control socket and tests.
public struct MediaStatistics: Sendable, Equatable {
    public var videoSource = ""
    public var videoFramesCaptured = 0
    public var videoFramesSent = 0
    public var videoKeyFrames = 0
    public var videoPackets = 0
    public var videoBytes = 0
    public var videoSize = FrameSize(width: 0, height: 0)
    public var videoMeasuredFPS = 0.0
    public var audioSource = ""
    public var audioPacketsSent = 0
    public var audioBytes = 0
    public var audioOverruns = 0
    /// Video packets sent again because the receiver NACKed them.
    public var videoRetransmissions = 0
    /// Times the camera was opened for capture (0: it never was, as with one-way video).
    public var cameraOpens = 0
    public var deviceErrors: [String] = []
}

/// One stream's way out when the caller owns the sockets (a call binds them before its SDP offer names
/// the ports): the RTP socket and the RTCP socket (the same one with rtcp-mux), both aimed at the peer,
/// and the SRTP suite and master key that protect the stream (no key: plain RTP).
struct StreamRoute: Sendable {
    var rtp: UDPSocket
    var rtcp: UDPSocket
    var suite: SRTPSuite
    var keyAndSalt: [UInt8]?
    /// The RTP payload type the peer asked for.
    var payloadType: UInt8
}

/// Runs the send pipeline: camera → VP8 → RTP and microphone → Opus → RTP, each on a thread of its own
/// (capture calls block, and the cooperative pool has only as many threads as cores). A device that is
/// missing or fails is reported in one log line and retried; the other stream goes on.
public final class MediaStreamer: Sendable {
    public struct Limits: Sendable {
        /// Stop after this many video frames were sent (nil: no limit).
        public var videoFrames: Int?
        /// Stop after this many seconds (nil: until stopped).
        public var seconds: Double?
        public init(videoFrames: Int? = nil, seconds: Double? = nil) {
            self.videoFrames = videoFrames
            self.seconds = seconds
        }
    }

    public let settings: MediaSettings
    public let destination: MediaDestination
    public let sendVideo: Bool
    public let sendAudio: Bool
    /// Pre-bound sockets, keys and payload types per stream (a call's); nil: `destination` says where.
    let routes: (video: StreamRoute?, audio: StreamRoute?)?
    let limits: Limits
    let logger: Logger
    let retryNanos: UInt64
    /// A call's: the microphone goes through it (what the speaker played taken out) before Opus.
    let echoCanceller: EchoCanceller?
    /// Made before the call was answered: the audio thread waits for `release(audio:)` to say where
    /// its packets go.
    let armed: Bool
    private let stopped = Atomic<Bool>(false)
    private let cameraOpen = Atomic<Bool>(false)
    private let state = Mutex(State())
    /// The audio stream's encoder and way out, shared by its thread and `release(audio:)`.
    private let audio = Mutex(AudioHandOff())

    /// What the audio thread and the answer share. Before the route is known the thread reads the
    /// microphone (keeping the device drained and the tone paced) and keeps the newest block, which
    /// goes out first when the route comes.
    private struct AudioHandOff {
        /// Made by the thread before the answer (creating it is the slow part of the set-up).
        var opus: OpusEncoder?
        var latest: [Int16]?
        var out: AudioOut?
        /// The thread ended; a late route is not taken.
        var finished = false
    }

    /// The audio stream's RTP packetizer, its protected sender and its RTCP schedule.
    private struct AudioOut {
        let encoder: AudioRTPEncoder
        let sender: StreamSender
        var rtcp: RTCPSenderSchedule

        init(encoder: AudioRTPEncoder, sender: StreamSender) {
            self.encoder = encoder
            self.sender = sender
            rtcp = RTCPSenderSchedule(sender: sender, ssrc: encoder.stream.ssrc)
        }

        /// Encodes and sends a block; the bytes on the wire (nil: it could not be protected, dropped).
        func send(_ block: [Int16]) throws -> Int? {
            guard let wire = sender.wire(rtp: try encoder.packet(for: block).serialized()) else { return nil }
            sender.send(wire: wire)
            return wire.count
        }
    }

    private struct State {
        var statistics = MediaStatistics()
        var threads: [BlockingThread] = []
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var keyFrameRequested = false
        /// NACKs from the receiver, for the video thread to answer from its retransmission buffer.
        var nacks: [RTCPGenericNack] = []
    }

    public init(settings: MediaSettings, destination: MediaDestination, sendVideo: Bool = true, sendAudio: Bool = true,
                limits: Limits = Limits(), retryInterval: Double = 5, logger: Logger) {
        echoCanceller = nil
        self.settings = settings
        self.destination = destination
        self.sendVideo = sendVideo
        self.sendAudio = sendAudio
        self.routes = nil
        self.limits = limits
        self.retryNanos = UInt64(retryInterval * 1e9)
        self.logger = logger
        armed = false
    }

    /// A call's streamer: it sends a stream exactly when it has a route for it (no video route: the
    /// camera is never opened), from the route's sockets, with the route's payload type and key.
    /// `destination` only describes where the packets go.
    init(settings: MediaSettings, video: StreamRoute?, audio: StreamRoute?, destination: MediaDestination,
         retryInterval: Double, echoCanceller: EchoCanceller? = nil, logger: Logger) {
        self.echoCanceller = echoCanceller
        var settings = settings
        if let video { settings.videoPayloadType = video.payloadType }
        if let audio { settings.audioPayloadType = audio.payloadType }
        self.settings = settings
        self.destination = destination
        self.sendVideo = video != nil
        self.sendAudio = audio != nil
        self.routes = (video, audio)
        self.limits = Limits()
        self.retryNanos = UInt64(retryInterval * 1e9)
        self.logger = logger
        armed = false
    }

    /// A call's audio streamer made while the INVITE is out: started, it makes its encoder and opens the
    /// microphone, but nothing leaves until `release(audio:)` (the answer) gives it its route; the
    /// payload type is the route's.
    init(armedAudio settings: MediaSettings, retryInterval: Double, echoCanceller: EchoCanceller?, logger: Logger) {
        self.echoCanceller = echoCanceller
        self.settings = settings
        destination = MediaDestination(host: "", videoPort: 0, audioPort: 0, rtcpMux: true)
        sendVideo = false
        sendAudio = true
        routes = (nil, nil)
        limits = Limits()
        retryNanos = UInt64(retryInterval * 1e9)
        self.logger = logger
        armed = true
    }

    /// The answer came: the armed audio stream goes to `route`. The newest block read while waiting is
    /// sent at once, on this thread; the stream's thread sends the rest. False when the stream had
    /// already ended (stopped, or its encoder failed).
    @discardableResult
    func release(audio route: StreamRoute) throws(SRTPError) -> Bool {
        let onError = audioErrorHandler
        var rng = SystemRandomNumberGenerator()
        let ssrc: UInt32 = rng.next(), sequence: UInt16 = rng.next(), timestamp: UInt32 = rng.next()
        let result = audio.withLock { h -> Result<Int?, SRTPError>? in
            guard h.out == nil, !h.finished else { return nil }
            let sender: StreamSender
            do throws(SRTPError) {
                sender = try StreamSender(rtp: route.rtp, rtcp: route.rtcp, suite: route.suite, keyAndSalt: route.keyAndSalt, onError: onError)
            } catch {
                return .failure(error)
            }
            guard let opus = h.opus ?? (try? OpusEncoder(channels: 1, bitrate: settings.audioBitrateKbps * 1000)) else { return nil }
            h.opus = opus
            h.out = AudioOut(encoder: AudioRTPEncoder(encoder: opus, payloadType: route.payloadType, ssrc: ssrc,
                                                      initialSequence: sequence, initialTimestamp: timestamp), sender: sender)
            guard let out = h.out, let block = h.latest else { return .success(nil) }
            h.latest = nil
            return .success((try? out.send(block)) ?? nil)
        }
        guard let result else { return false }
        let bytes = try result.get()
        logger.info("audio: → \(route.keyAndSalt != nil ? "SRTP " : "")\(route.rtp.destination), payload type \(route.payloadType)")
        if let bytes { countAudioPacket(bytes) }
        return true
    }

    /// True from just before the camera device is opened until just after it is closed: a privacy
    /// indicator that reads it is never off while the camera captures.
    public var isCameraOpen: Bool { cameraOpen.load(ordering: .sequentiallyConsistent) }

    public var statistics: MediaStatistics { state.withLock { $0.statistics } }

    /// Asks the video encoder for a key frame (a receiver's PLI or FIR).
    public func requestKeyFrame() { state.withLock { $0.keyFrameRequested = true } }

    /// The receiver lost these video packets (RFC 4585 generic NACK): the ones still held are sent again.
    public func retransmit(_ nack: RTCPGenericNack) {
        state.withLock { s in
            // A receiver that keeps asking while the video thread is busy must not grow this without end.
            if s.nacks.count < 64 { s.nacks.append(nack) }
        }
    }

    public func start() {
        let deadline = limits.seconds.map { MonotonicClock.nowNanos() + UInt64($0 * 1e9) }
        var bodies: [(name: String, body: @Sendable () -> Void)] = []
        if sendVideo { bodies.append(("send-video", { [self] in runVideo(deadline: deadline) })) }
        if sendAudio { bodies.append(("send-audio", { [self] in runAudio(deadline: deadline) })) }
        state.withLock { $0.running = bodies.count }
        let threads = bodies.map { name, body in
            BlockingThread(name: name) { [self] in
                body()
                finishedOne()
            }
        }
        state.withLock { $0.threads = threads }
        if bodies.isEmpty { finishedOne() }
    }

    private func finishedOne() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.running -= 1
            guard s.running <= 0 else { return [] }
            defer { s.waiters = [] }
            return s.waiters
        }
        // When one stream reaches its limit, the other stops too.
        stopped.store(true, ordering: .relaxed)
        waiters.forEach { $0.resume() }
    }

    /// Signals the threads to stop; they finish their current frame or block.
    public func stop() { stopped.store(true, ordering: .relaxed) }

    public var isStopping: Bool { stopped.load(ordering: .relaxed) }

    /// Returns once every stream thread has ended.
    public func waitUntilFinished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.running <= 0 { return true }
                s.waiters.append(c)
                return false
            }
            if done { c.resume() }
        }
        let threads = state.withLock { $0.threads }
        threads.forEach { $0.join() }
    }

    private func shouldStop(deadline: UInt64?) -> Bool {
        if stopped.load(ordering: .relaxed) { return true }
        if let deadline, MonotonicClock.nowNanos() >= deadline { return true }
        return false
    }

    /// Waits out a retry interval in short steps so a stop is not held up.
    private func pause(nanos: UInt64, deadline: UInt64?) {
        let until = MonotonicClock.nowNanos() + nanos
        while !shouldStop(deadline: deadline) && MonotonicClock.nowNanos() < until {
            MonotonicClock.sleep(until: min(until, MonotonicClock.nowNanos() + 50_000_000))
        }
    }

    /// The retry interval as a technician reads it: "5", "0.5".
    private var retryText: String {
        retryNanos % 1_000_000_000 == 0 ? "\(retryNanos / 1_000_000_000)" : "\(Double(retryNanos) / 1e9)"
    }

    private func record(deviceError: String) {
        state.withLock { $0.statistics.deviceErrors.append(deviceError) }
    }
}

/// RTCP for one sent stream: a sender report with the CNAME about once a second, a BYE at the end
/// (on which receivers such as ffmpeg finish their files).
struct RTCPSenderSchedule {
    let sender: StreamSender
    let cname: String
    private var lastReport: UInt64 = 0

    init(sender: StreamSender, ssrc: UInt32) {
        self.sender = sender
        cname = "kioskd-\(ssrc)"
    }

    mutating func tick(now: UInt64, report: () -> RTCPSenderReport) {
        guard now - lastReport >= 1_000_000_000 else { return }
        lastReport = now
        let sr = report()
        sender.sendRTCP(RTCPPacket.serializeCompound([.senderReport(sr), .sourceDescription(RTCPSourceDescription(ssrc: sr.ssrc, cname: cname))]))
    }

    func bye(_ sr: RTCPSenderReport) {
        sender.sendRTCP(RTCPPacket.serializeCompound([.senderReport(sr), .bye(RTCPBye(ssrcs: [sr.ssrc], reason: "stream ended"))]))
    }
}

extension MediaStreamer {
    /// Opens a device, retrying until it opens or the stream stops (nil). Each distinct failure is
    /// logged once: a missing camera must not flood the log while it is retried.
    private func open<Device>(_ what: () throws(CaptureError) -> Device, deadline: UInt64?) -> Device? {
        var lastError: CaptureError?
        while !shouldStop(deadline: deadline) {
            do {
                return try what()
            } catch {
                if error != lastError {
                    logger.error("\(error); retrying every \(retryText) s")
                    record(deviceError: "\(error)")
                    lastError = error
                }
                pause(nanos: retryNanos, deadline: deadline)
            }
        }
        return nil
    }

    /// The RTP socket and its RTCP partner (the port above, or the same one with rtcp-mux), protected
    /// with the stream's SRTP key when the destination has keys; or the stream's route, when it has one.
    private func sender(route: StreamRoute?, port: Int, key: [UInt8]?, label: String) throws -> StreamSender {
        let onError: (String) -> Void = { [self] problem in
            logger.error("\(label): \(problem)")
            record(deviceError: "\(label): \(problem)")
        }
        if let route {
            return try StreamSender(rtp: route.rtp, rtcp: route.rtcp, suite: route.suite, keyAndSalt: route.keyAndSalt, onError: onError)
        }
        let rtp = try UDPSocket(host: destination.host, port: port)
        let rtcp = destination.rtcpMux ? rtp : try UDPSocket(host: destination.host, port: port + 1)
        return try StreamSender(rtp: rtp, rtcp: rtcp, suite: destination.srtp?.suite, keyAndSalt: key, onError: onError)
    }

    /// Opens the camera with the privacy flag raised first, so the flag is never down while the device
    /// is open; a failed open lowers it again.
    private func openCamera() throws(CaptureError) -> VideoSource {
        cameraOpen.store(true, ordering: .sequentiallyConsistent)
        do {
            let camera = try settings.openCamera()
            state.withLock { $0.statistics.cameraOpens += 1 }
            return camera
        } catch {
            cameraOpen.store(false, ordering: .sequentiallyConsistent)
            throw error
        }
    }

    /// Closes the camera, then lowers the privacy flag.
    private func closeCamera(_ camera: VideoSource) {
        camera.close()
        cameraOpen.store(false, ordering: .sequentiallyConsistent)
    }

    private func runVideo(deadline: UInt64?) {
        var rng = SystemRandomNumberGenerator()
        let rtpEncoder: VideoRTPEncoder
        let rtp: StreamSender
        var rtcp: RTCPSenderSchedule
        do {
            rtpEncoder = VideoRTPEncoder(settings: settings, ssrc: rng.next(), initialSequence: rng.next(),
                                         initialTimestamp: rng.next(), initialPictureID: UInt16.random(in: 0...0x7FFF))
            rtp = try sender(route: routes?.video, port: destination.videoPort, key: destination.srtp?.video, label: "video")
            rtcp = RTCPSenderSchedule(sender: rtp, ssrc: rtpEncoder.stream.ssrc)
        } catch {
            logger.error("video: \(error)")
            record(deviceError: "\(error)")
            return
        }
        var pacer = Pacer(bitsPerSecond: settings.videoBitrateKbps * 2500)
        var sent = 0
        // What a NACK may ask for again: about a second of video, resent at most at half the bitrate.
        var history = RetransmissionBuffer(configuration: .init(
            capacity: 512, maximumAge: .seconds(1), octetsPerSecond: max(16_000, settings.videoBitrateKbps * 64)))
        func answerNacks() {
            let nacks = state.withLock { s in defer { s.nacks = [] }; return s.nacks }
            guard !nacks.isEmpty else { return }
            var resent = 0
            for nack in nacks {
                for packet in history.retransmissions(for: nack, ssrc: rtpEncoder.stream.ssrc, at: .now) {
                    guard let wire = rtp.wire(rtp: packet.serialized()) else { continue }
                    rtp.send(wire: wire)
                    resent += 1
                }
            }
            state.withLock { $0.statistics.videoRetransmissions += resent }
        }
        while let camera = open({ () throws(CaptureError) in try openCamera() }, deadline: deadline) {
            logger.info("video: \(camera.name) \(camera.size)@\(camera.framesPerSecond) → VP8 \(settings.videoBitrateKbps) kbps → \(rtp.isSecure ? "SRTP " : "")\(rtp.rtpSocket.destination)")
            state.withLock {
                $0.statistics.videoSource = camera.name
                $0.statistics.videoSize = camera.size
            }
            do {
                try rtpEncoder.prepare(size: camera.size, framesPerSecond: camera.framesPerSecond)
            } catch {
                logger.error("\(error)")
                record(deviceError: "\(error)")
                closeCamera(camera)
                pause(nanos: retryNanos, deadline: deadline)
                continue
            }
            rtpEncoder.requestKeyFrame()  // a receiver needs one after the source changed
            var firstCapture: UInt64?
            var lastCapture: UInt64 = 0
            var captured = 0
            var silentSince = MonotonicClock.nowNanos()
            capture: while !shouldStop(deadline: deadline) {
                let frame: VideoFrame
                do {
                    guard let f = try camera.nextFrame(timeoutMillis: 200) else {
                        if MonotonicClock.nowNanos() - silentSince > 3_000_000_000 {
                            logger.warning("video: \(camera.name) delivered no frame for 3 s")
                            silentSince = MonotonicClock.nowNanos()
                        }
                        continue
                    }
                    frame = f
                } catch {
                    logger.error("\(error); reopening")
                    record(deviceError: "\(error)")
                    break capture
                }
                silentSince = MonotonicClock.nowNanos()
                captured += 1
                CameraCaptureCount.add()
                if firstCapture == nil { firstCapture = frame.captureTimeNanos }
                lastCapture = frame.captureTimeNanos
                if state.withLock({ s in defer { s.keyFrameRequested = false }; return s.keyFrameRequested }) {
                    rtpEncoder.requestKeyFrame()
                }
                let packets: [RTPPacket]
                do {
                    packets = try rtpEncoder.packets(for: frame)
                } catch {
                    logger.error("\(error)")
                    continue
                }
                var bytes = 0
                answerNacks()
                for packet in packets {
                    guard let wire = rtp.wire(rtp: packet.serialized()) else { continue }
                    MonotonicClock.sleep(until: pacer.sendTime(forPacketOf: wire.count, now: MonotonicClock.nowNanos()))
                    rtp.send(wire: wire)
                    history.packetSent(packet, at: .now)
                    bytes += wire.count
                }
                if !packets.isEmpty { sent += 1 }
                let fps = captured > 1 ? Double(captured - 1) * 1e9 / Double(max(1, lastCapture - (firstCapture ?? 0))) : 0
                state.withLock {
                    $0.statistics.videoFramesCaptured += 1
                    $0.statistics.videoFramesSent = sent
                    $0.statistics.videoKeyFrames = rtpEncoder.keyFrames
                    $0.statistics.videoPackets += packets.count
                    $0.statistics.videoBytes += bytes
                    $0.statistics.videoMeasuredFPS = fps
                }
                let now = MonotonicClock.nowNanos()
                rtcp.tick(now: now) { rtpEncoder.senderReport(ntp: NTPTimestamp.now(), captureNanos: now) }
                if let max = limits.videoFrames, sent >= max {
                    stop()
                    break capture
                }
            }
            let s = statistics
            logger.info("video: \(camera.name) captured \(captured) frames at \(s.videoSize), \(String(format2: s.videoMeasuredFPS)) fps measured, \(camera.framesDropped) dropped; sent \(s.videoFramesSent) frames (\(s.videoKeyFrames) key), \(s.videoPackets) packets, \(s.videoBytes) bytes")
            closeCamera(camera)
        }
        rtcp.bye(rtpEncoder.senderReport(ntp: NTPTimestamp.now(), captureNanos: MonotonicClock.nowNanos()))
    }

    private var audioErrorHandler: @Sendable (String) -> Void {
        { [self] problem in
            logger.error("audio: \(problem)")
            record(deviceError: "audio: \(problem)")
        }
    }

    private func countAudioPacket(_ bytes: Int, overruns: Int? = nil) {
        state.withLock {
            $0.statistics.audioPacketsSent += 1
            $0.statistics.audioBytes += bytes
            if let overruns { $0.statistics.audioOverruns = overruns }
        }
    }

    private func runAudio(deadline: UInt64?) {
        do {
            // Microphones are opened mono (ALSAMicrophone and ToneSource default to one channel).
            let opus = try OpusEncoder(channels: 1, bitrate: settings.audioBitrateKbps * 1000)
            audio.withLock { if $0.opus == nil { $0.opus = opus } }
            if !armed {
                // The way out is known from the start (a call's route, or the test stream's destination).
                var rng = SystemRandomNumberGenerator()
                let ssrc: UInt32 = rng.next(), sequence: UInt16 = rng.next(), timestamp: UInt32 = rng.next()
                try audio.withLock { h in
                    let rtp = try sender(route: routes?.audio, port: destination.audioPort, key: destination.srtp?.audio, label: "audio")
                    h.out = AudioOut(encoder: AudioRTPEncoder(encoder: h.opus ?? opus, payloadType: settings.audioPayloadType, ssrc: ssrc,
                                                              initialSequence: sequence, initialTimestamp: timestamp), sender: rtp)
                }
            }
        } catch {
            logger.error("audio: \(error)")
            record(deviceError: "\(error)")
            audio.withLock { $0.finished = true }
            return
        }
        while let microphone = open({ () throws(CaptureError) in
            let source = try settings.openMicrophone()
            return echoCanceller.map { EchoCancelledAudioSource(source: source, canceller: $0) } ?? source
        }, deadline: deadline) {
            let way = audio.withLock { h in h.out.map { "\($0.sender.isSecure ? "SRTP " : "")\($0.sender.rtpSocket.destination)" } }
            logger.info("audio: \(microphone.name) \(microphone.sampleRate) Hz → Opus \(settings.audioBitrateKbps) kbps → \(way ?? "(waiting for the answer)")")
            state.withLock { $0.statistics.audioSource = microphone.name }
            while !shouldStop(deadline: deadline) {
                do {
                    let block = try microphone.nextBlock(samplesPerChannel: OpusEncoder.samplesPerFrame)
                    // Before the route is known the block is only kept (the newest goes out first).
                    let sent: Int?? = try audio.withLock { h in
                        guard let out = h.out else {
                            h.latest = block
                            return nil
                        }
                        return .some(try out.send(block))
                    }
                    if case let .some(.some(bytes)) = sent {
                        let device = (microphone as? EchoCancelledAudioSource)?.source ?? microphone
                        countAudioPacket(bytes, overruns: (device as? ALSAMicrophone)?.overruns ?? 0)
                    }
                } catch {
                    logger.error("\(error); reopening")
                    record(deviceError: "\(error)")
                    break
                }
                audio.withLock { h in
                    guard let encoder = h.out?.encoder else { return }
                    h.out?.rtcp.tick(now: MonotonicClock.nowNanos()) {
                        encoder.stream.senderReport(ntp: NTPTimestamp.now(), rtpTimestamp: encoder.mediaTicks)
                    }
                }
            }
            let s = statistics
            logger.info("audio: \(microphone.name) sent \(s.audioPacketsSent) packets, \(s.audioBytes) bytes, \(s.audioOverruns) overruns")
            microphone.close()
        }
        audio.withLock { h in
            h.finished = true
            guard let out = h.out else { return }
            out.rtcp.bye(out.encoder.stream.senderReport(ntp: NTPTimestamp.now(), rtpTimestamp: out.encoder.mediaTicks))
        }
    }
}

extension NTPTimestamp {
    /// The wall clock now, as RTCP sender reports carry it.
    static func now() -> NTPTimestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return NTPTimestamp(unixSeconds: Int64(ts.tv_sec), nanoseconds: UInt32(ts.tv_nsec))
    }
}

extension String {
    /// A number with two decimals, without Foundation's formatter.
    init(format2 value: Double) {
        let scaled = Int((value * 100).rounded())
        let frac = abs(scaled % 100)
        self = "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
