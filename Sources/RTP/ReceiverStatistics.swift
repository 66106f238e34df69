/// What a receiver knows about one source for its reception report (RFC 3550 §6.4.1, the
/// algorithms of appendix A.1, A.3 and A.8): extended highest sequence, cumulative and fractional
/// loss, interarrival jitter, and LSR/DLSR from the last sender report.
public struct ReceiverStatistics: Sendable {
    /// RFC 3550 §A.1: a source is valid after this many sequential packets.
    public static let minimumSequential = 2
    static let maximumDropout: UInt16 = 3000
    static let maximumMisorder: UInt16 = 100
    static let sequenceModulus: UInt32 = 1 << 16

    public let ssrc: UInt32
    /// Media clock ticks per second, for the jitter (which is in timestamp units).
    public let clockRate: Int

    // RFC 3550 §A.1 state, same names.
    var maxSequence: UInt16 = 0
    var cycles: UInt32 = 0
    var baseSequence: UInt32 = 0
    var badSequence: UInt32 = sequenceModulus + 1
    var probation = minimumSequential
    var received: UInt32 = 0
    var expectedPrior: UInt32 = 0
    var receivedPrior: UInt32 = 0
    var started = false

    // RFC 3550 §A.8: jitter × 16, in timestamp units.
    var transit: UInt32?
    var scaledJitter: UInt32 = 0
    var lastTimestamp: UInt32?

    var lastSenderReport: (middle32: UInt32, arrival: ContinuousClock.Instant)?
    var origin: ContinuousClock.Instant?
    var originNanoseconds: Int64?

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = max(clockRate, 1)
    }

    /// Packets counted as received (duplicates included, as RFC 3550 counts them).
    public var receivedCount: Int { Int(received) }

    /// False while the source is on probation (fewer than `minimumSequential` packets in sequence).
    public var isValid: Bool { started && probation == 0 }

    /// Highest sequence number received, extended with the count of wraps.
    public var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSequence) }

    public var expectedCount: Int { isValid ? Int(extendedHighestSequence) - Int(baseSequence) + 1 : 0 }

    /// Expected minus received: negative when duplicates outnumber losses.
    public var cumulativeLost: Int { expectedCount - Int(received) }

    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32 { scaledJitter >> 4 }

    /// Interarrival jitter in seconds, through the stream's clock rate (with the fixed point's
    /// fraction, which the timestamp units of a report block drop).
    public var jitterSeconds: Double { Double(scaledJitter) / 16 / Double(clockRate) }

    /// Records one packet of this source arriving at `arrival`.
    public mutating func packetReceived(sequenceNumber: UInt16, timestamp: UInt32, at arrival: ContinuousClock.Instant) {
        let origin = self.origin ?? arrival
        self.origin = origin
        packetReceived(sequenceNumber: sequenceNumber, timestamp: timestamp, arrivalNanoseconds: (arrival - origin).wholeNanoseconds)
    }

    /// Records one packet of this source arriving at `arrivalNanoseconds` on any clock that does not
    /// go back (only differences between arrivals count).
    public mutating func packetReceived(sequenceNumber: UInt16, timestamp: UInt32, arrivalNanoseconds: Int64) {
        let advanced = updateSequence(sequenceNumber)
        // Jitter only from packets that advance the sequence: a NACK retransmission carries an old
        // timestamp and arrives a round trip late, which is repair delay, not network jitter. And only
        // from the first packet of a timestamp (as libwebrtc does): a video frame's packets share one
        // and leave the sender paced over milliseconds, a spread that is the sender's, not the path's.
        guard advanced, lastTimestamp != timestamp else { return }
        lastTimestamp = timestamp
        updateJitter(timestamp: timestamp, arrivalNanoseconds: arrivalNanoseconds)
    }

    /// Records a sender report from this source, for LSR and DLSR.
    public mutating func senderReportReceived(_ report: RTCPSenderReport, at arrival: ContinuousClock.Instant) {
        lastSenderReport = (report.ntpTimestamp.middle32, arrival)
    }

    /// The report block for an RR or SR sent at `now`. Fraction lost covers the interval since the
    /// previous call (RFC 3550 §A.3), so call it once per report sent.
    public mutating func makeReportBlock(at now: ContinuousClock.Instant) -> RTCPReportBlock {
        let expected = UInt32(truncatingIfNeeded: expectedCount)
        let expectedInterval = expected &- expectedPrior
        expectedPrior = expected
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(Int32(bitPattern: expectedInterval)) - Int64(Int32(bitPattern: receivedInterval))
        let fraction: UInt8 = if expectedInterval == 0 || lostInterval <= 0 {
            0
        } else {
            UInt8(truncatingIfNeeded: min((lostInterval << 8) / Int64(expectedInterval), 255))
        }
        let lost = Int32(clamping: cumulativeLost)
        var lastSR: UInt32 = 0
        var delay: UInt32 = 0
        if let senderReport = lastSenderReport {
            lastSR = senderReport.middle32
            // DLSR in 1/65536 s.
            let nanoseconds = max((now - senderReport.arrival).wholeNanoseconds, 0)
            delay = UInt32(clamping: nanoseconds / 1_000_000_000 * 65536 + nanoseconds % 1_000_000_000 * 65536 / 1_000_000_000)
        }
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: fraction, cumulativeLost: lost,
            extendedHighestSequence: isValid ? extendedHighestSequence : 0, jitter: jitter,
            lastSR: lastSR, delaySinceLastSR: delay)
    }

    /// RFC 3550 §A.1 `update_seq`. Returns whether the packet advanced the highest sequence.
    mutating func updateSequence(_ sequence: UInt16) -> Bool {
        guard started else {
            // init_seq for the first packet; probation counts it.
            initSequence(sequence)
            maxSequence = sequence &- 1
            started = true
            probation = Self.minimumSequential
            return updateSequence(sequence)
        }
        let delta = sequence &- maxSequence
        if probation > 0 {
            // Sequential packets are required to leave probation.
            if sequence == maxSequence &+ 1 {
                probation -= 1
                maxSequence = sequence
                if probation == 0 {
                    initSequence(sequence)
                    received += 1
                    return true
                }
            } else {
                probation = Self.minimumSequential - 1
                maxSequence = sequence
            }
            return false
        }
        if delta < Self.maximumDropout {
            // In order, with a permissible gap.
            if sequence < maxSequence { cycles &+= Self.sequenceModulus }
            maxSequence = sequence
            received &+= 1
            return delta > 0
        } else if delta <= UInt16.max - Self.maximumMisorder {
            // A very large jump: two sequential packets mean the source restarted.
            if UInt32(sequence) == badSequence {
                initSequence(sequence)
                received &+= 1
                return true
            }
            badSequence = (UInt32(sequence) + 1) & (Self.sequenceModulus - 1)
            return false
        } else {
            // A duplicate or a reordered packet.
            received &+= 1
            return false
        }
    }

    mutating func initSequence(_ sequence: UInt16) {
        baseSequence = UInt32(sequence)
        maxSequence = sequence
        badSequence = Self.sequenceModulus + 1
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }

    /// RFC 3550 §A.8, in timestamp units with the ×16 fixed point of the reference code.
    mutating func updateJitter(timestamp: UInt32, arrivalNanoseconds: Int64) {
        // Ticks counted from the first arrival: a monotonic clock's nanoseconds since boot times a
        // 90 kHz rate would overflow.
        let origin = originNanoseconds ?? arrivalNanoseconds
        originNanoseconds = origin
        let arrivalTicks = Duration.ticks(nanoseconds: arrivalNanoseconds - origin, clockRate: Int64(clockRate))
        let transit = UInt32(truncatingIfNeeded: arrivalTicks) &- timestamp
        defer { self.transit = transit }
        guard let last = self.transit else { return }
        let difference = Int32(bitPattern: transit &- last).magnitude
        scaledJitter = scaledJitter &+ difference &- ((scaledJitter &+ 8) >> 4)
    }
}
