import RTP

/// The agent's video from accepted RTP packets to pictures: the jitter buffer puts packets back in
/// order and waits a while for the ones missing (so a NACKed retransmission can fill the hole), the
/// VP8 depacketizer makes frames, libvpx decodes them. Missing packets are NACKed; a frame that cannot
/// be made whole, or that the decoder refuses, makes a PLI (within the requester's pace). No I/O: the
/// stream's receive thread feeds it packets and the time, sends the feedback it returns, and shows
/// the pictures handed to `onPicture`.
final class VideoReceiver {
    /// What the kiosk asks of the agent's video sender.
    struct Feedback: Equatable {
        var nack: [UInt16] = []
        var pictureLoss = false
        var isEmpty: Bool { nack.isEmpty && !pictureLoss }
    }

    private var jitterBuffer = JitterBuffer(configuration: .video)
    private var depacketizer = VP8Depacketizer()
    private var nacks = NackTracker()
    private var keyFrames = KeyFrameRequester()
    private let decoder: VP8Decoder?
    private let onPicture: (VideoFrame) -> Void
    /// The sender being received (the SSRC feedback names).
    private(set) var mediaSSRC: UInt32?
    private var lastPictureAt: ContinuousClock.Instant?
    private(set) var statistics = VideoReceiveStatistics()

    init(onPicture: @escaping (VideoFrame) -> Void) {
        decoder = try? VP8Decoder()
        if decoder == nil { statistics.decoderUnavailable = true }
        self.onPicture = onPicture
    }

    /// One accepted packet of the negotiated payload type.
    func receive(_ packet: RTPPacket, at now: ContinuousClock.Instant) {
        switch jitterBuffer.insert(packet, at: now) {
        case .restarted:
            // A new sender (the agent's side restarted its stream), as the jitter buffer confirmed with
            // a second packet (one stray packet of another SSRC changes nothing): a fresh picture.
            statistics.senderChanges += 1
            mediaSSRC = packet.ssrc
            depacketizer = VP8Depacketizer()
            nacks.reset()
            keyFrames.reset()
        case .heldAsPossibleRestart:
            return
        default:
            if mediaSSRC == nil { mediaSSRC = packet.ssrc }
        }
        guard packet.ssrc == mediaSSRC else { return }
        nacks.packetArrived(sequenceNumber: packet.sequenceNumber, at: now)
    }

    /// Plays out what is due: frames are decoded and shown; returns the feedback to send now.
    func poll(at now: ContinuousClock.Instant) -> Feedback {
        var feedback = Feedback()
        for output in jitterBuffer.poll(at: now) {
            switch output {
            case let .packet(packet):
                let droppedBefore = depacketizer.droppedFrameCount
                for frame in depacketizer.push(packet) { decode(frame, at: now, feedback: &feedback) }
                if depacketizer.droppedFrameCount > droppedBefore {
                    statistics.framesDropped += depacketizer.droppedFrameCount - droppedBefore
                    if keyFrames.request(.frameDropped, at: now) { feedback.pictureLoss = true }
                }
            case let .skipped(first, count):
                // Given up on: no use asking for them any more. The depacketizer sees the gap in the
                // next packet's sequence number and drops that frame.
                nacks.stopRequesting(firstSequence: first, count: count)
            }
        }
        let due = nacks.poll(at: now)
        feedback.nack = due.nack
        if due.newlyLost > 0, keyFrames.request(.unrepairedLoss, at: now) { feedback.pictureLoss = true }
        if keyFrames.poll(at: now) { feedback.pictureLoss = true }
        if !feedback.nack.isEmpty { statistics.nacksSent += 1; statistics.packetsNacked += feedback.nack.count }
        if feedback.pictureLoss { statistics.pictureLossIndicationsSent += 1 }
        statistics.jitterBuffer = jitterBuffer.counters
        statistics.nack = nacks.counters
        statistics.playoutDelay = jitterBuffer.currentDelay
        return feedback
    }

    /// When `poll` has something to do next (a frame due, a NACK to repeat, a PLI to send).
    var nextWakeup: ContinuousClock.Instant? {
        [jitterBuffer.nextWakeup, nacks.nextWakeup, keyFrames.nextWakeup].compactMap { $0 }.min()
    }

    /// The round-trip time measured from RTCP, for the NACK and PLI pace.
    func roundTripTime(_ rtt: Duration) {
        nacks.roundTripTime = rtt
        keyFrames.roundTripTime = rtt
        // A hole is waited for long enough that a NACK and its answer can cross the path.
        jitterBuffer.missingPacketWait = max(.milliseconds(150), rtt * 1.5 + .milliseconds(20))
    }

    private func decode(_ frame: VP8Frame, at now: ContinuousClock.Instant, feedback: inout Feedback) {
        statistics.framesReceived += 1
        if keyFrames.frameReceived(isKeyFrame: frame.isKeyFrame, at: now) { feedback.pictureLoss = true }
        guard let decoder else { return }
        do {
            guard let picture = try decoder.decode(frame.data) else { return }
            statistics.framesDecoded += 1
            if frame.isKeyFrame { statistics.keyFramesDecoded += 1 }
            if let last = lastPictureAt { statistics.longestFreeze = max(statistics.longestFreeze, now - last) }
            lastPictureAt = now
            statistics.lastSize = FrameSize(width: picture.width, height: picture.height)
            onPicture(picture)
        } catch {
            statistics.decodeErrors += 1
            if keyFrames.request(.decoderError, at: now) { feedback.pictureLoss = true }
        }
    }
}

/// How the agent's video fared on its way to the screen.
public struct VideoReceiveStatistics: Sendable, Equatable {
    /// Frames the depacketizer completed, and those libvpx decoded into pictures shown.
    public var framesReceived = 0
    public var framesDecoded = 0
    public var keyFramesDecoded = 0
    /// Frames lost to missing packets (not repaired in time), and frames the decoder refused or
    /// skipped while waiting for a key frame.
    public var framesDropped = 0
    public var decodeErrors = 0
    public var nacksSent = 0
    public var packetsNacked = 0
    public var pictureLossIndicationsSent = 0
    /// The longest time between two pictures shown (from the first on).
    public var longestFreeze: Duration = .zero
    public var lastSize: FrameSize?
    public var senderChanges = 0
    public var playoutDelay: Duration = .zero
    public var jitterBuffer = JitterBuffer.Counters()
    public var nack = NackTracker.Counters()
    /// libvpx could not start a decoder (packets are counted, nothing is shown).
    public var decoderUnavailable = false

    public init() {}
}
