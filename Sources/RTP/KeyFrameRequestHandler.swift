/// The sender's side of PLI and FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1): decides when the encoder
/// must produce a key frame. A FIR repeated with the same sequence number by the same requester is
/// the same request (RFC 5104 §4.3.1.2), not a new one. Forced key frames are at most one per
/// `minimumInterval` (a key frame is large; many receivers asking at once need only one); a
/// request inside the interval is kept and fires when it ends.
public struct KeyFrameRequestHandler: Sendable {
    public let minimumInterval: Duration
    public private(set) var keyFramesForced = 0
    /// PLIs and new FIRs addressed to this sender.
    public private(set) var requestsReceived = 0
    /// FIRs repeating a sequence number already handled.
    public private(set) var repeatedFullIntraRequests = 0

    var lastFIRSequence: [UInt32: UInt8] = [:]
    var pending = false
    var lastForced: ContinuousClock.Instant?

    public init(minimumInterval: Duration = .milliseconds(250)) {
        self.minimumInterval = minimumInterval
    }

    /// A PLI arrived; true when a key frame should be forced now.
    public mutating func received(_ pli: RTCPPictureLossIndication, ssrc: UInt32, at now: ContinuousClock.Instant) -> Bool {
        guard pli.mediaSSRC == ssrc else { return false }
        requestsReceived += 1
        pending = true
        return poll(at: now)
    }

    /// A FIR arrived; true when a key frame should be forced now. Only entries naming `ssrc` count.
    public mutating func received(_ fir: RTCPFullIntraRequest, ssrc: UInt32, at now: ContinuousClock.Instant) -> Bool {
        for entry in fir.entries where entry.ssrc == ssrc {
            if lastFIRSequence[fir.senderSSRC] == entry.sequenceNumber {
                repeatedFullIntraRequests += 1
                continue
            }
            // Bounded: one entry per requesting SSRC; a flood of forged SSRCs clears it.
            if lastFIRSequence.count >= 64 { lastFIRSequence.removeAll() }
            lastFIRSequence[fir.senderSSRC] = entry.sequenceNumber
            requestsReceived += 1
            pending = true
        }
        return poll(at: now)
    }

    /// True when a pending request may be served now.
    public mutating func poll(at now: ContinuousClock.Instant) -> Bool {
        guard pending else { return false }
        if let lastForced, now - lastForced < minimumInterval { return false }
        pending = false
        lastForced = now
        keyFramesForced += 1
        return true
    }

    /// The encoder produced a key frame on its own (e.g. its periodic one): pending requests are served.
    public mutating func keyFrameSent(at now: ContinuousClock.Instant) {
        pending = false
        lastForced = now
    }

    /// When a pending request will be served; nil when none is pending.
    public var nextWakeup: ContinuousClock.Instant? {
        guard pending else { return nil }
        return lastForced.map { $0 + minimumInterval }
    }
}
