/// The receiver's key-frame request policy for one video stream: when to send PLI (RFC 4585
/// §6.3.1). A request is made for a frame the depacketizer dropped (a gap NACK did not repair),
/// a decoder error, or a stream that starts without a key frame. PLIs are at most one per
/// max(RTT, `minimumInterval`); while a key frame is still needed after that, the PLI is repeated
/// (it, or the key frame, may have been lost). A key frame arriving ends the need.
public struct KeyFrameRequester: Sendable {
    public enum Reason: Sendable, Hashable {
        /// The depacketizer dropped a frame (`VP8Depacketizer.droppedFrameCount` went up).
        case frameDropped
        /// The NACK tracker gave up on packets.
        case unrepairedLoss
        /// The decoder refused a frame.
        case decoderError
        /// The first frame of the stream is not a key frame.
        case streamStartWithoutKeyFrame
    }

    public let minimumInterval: Duration
    /// Update from RTCP; PLIs are not sent faster than one per round trip.
    public var roundTripTime: Duration = .zero
    public private(set) var pictureLossIndicationsSent = 0
    public private(set) var fullIntraRequestsSent = 0
    /// True from a request until a key frame arrives.
    public private(set) var needsKeyFrame = false
    public private(set) var lastReason: Reason?

    var lastSent: ContinuousClock.Instant?
    var hasSeenKeyFrame = false
    var nextFIRSequence: UInt8 = 0

    public init(minimumInterval: Duration = .milliseconds(250)) {
        self.minimumInterval = minimumInterval
    }

    var interval: Duration { max(minimumInterval, roundTripTime) }

    /// Asks for a key frame; true when a PLI should be sent now (otherwise `poll` will say when).
    public mutating func request(_ reason: Reason, at now: ContinuousClock.Instant) -> Bool {
        needsKeyFrame = true
        lastReason = reason
        return poll(at: now)
    }

    /// Reports each frame that came out of the depacketizer; true when a PLI should be sent now.
    public mutating func frameReceived(isKeyFrame: Bool, at now: ContinuousClock.Instant) -> Bool {
        if isKeyFrame {
            hasSeenKeyFrame = true
            needsKeyFrame = false
            return false
        }
        guard hasSeenKeyFrame else { return request(.streamStartWithoutKeyFrame, at: now) }
        return poll(at: now)
    }

    /// True when a PLI should be sent now: one is needed and the last was long enough ago.
    public mutating func poll(at now: ContinuousClock.Instant) -> Bool {
        guard needsKeyFrame else { return false }
        if let lastSent, now - lastSent < interval { return false }
        lastSent = now
        pictureLossIndicationsSent += 1
        return true
    }

    /// When `poll` will next say to send a PLI; nil when no key frame is needed.
    public var nextWakeup: ContinuousClock.Instant? {
        guard needsKeyFrame else { return nil }
        return lastSent.map { $0 + interval }
    }

    /// A FIR for `mediaSSRC` with a new sequence number (RFC 5104 §4.3.1.1: each new request
    /// increments it; a repetition of the same request would reuse it).
    public mutating func makeFullIntraRequest(senderSSRC: UInt32, mediaSSRC: UInt32) -> RTCPFullIntraRequest {
        defer { nextFIRSequence &+= 1 }
        fullIntraRequestsSent += 1
        return RTCPFullIntraRequest(senderSSRC: senderSSRC,
                                    entries: [.init(ssrc: mediaSSRC, sequenceNumber: nextFIRSequence)])
    }

    /// Forgets the stream (a new sender): the next stream must start with a key frame again.
    public mutating func reset() {
        hasSeenKeyFrame = false
        needsKeyFrame = false
        lastSent = nil
    }
}
