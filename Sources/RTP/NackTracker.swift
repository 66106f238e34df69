/// Decides which lost packets of one stream to NACK (RFC 4585 §6.2.1) and when. Feed it every
/// arriving sequence number (`packetArrived`), and call `poll` after each packet and at
/// `nextWakeup`: it returns the numbers to NACK now (build the message with
/// `RTCPGenericNack(senderSSRC:mediaSSRC:missing:)`) and how many it gave up on.
///
/// A missing packet is NACKed once it has been missing for `reorderingDelay` (a packet merely
/// overtaken should not be asked for), then again every max(RTT, `minimumRetryInterval`) until it
/// arrives, until `maximumAttempts` NACKs went unanswered, or until it is older than `maximumAge`.
/// Given-up packets are lost: the frame they belong to is dropped and needs a key frame.
public struct NackTracker: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// At most this many sequence numbers are tracked; the oldest beyond are given up.
        public var maximumTracked: Int
        public var maximumAttempts: Int
        public var maximumAge: Duration
        public var reorderingDelay: Duration
        public var minimumRetryInterval: Duration
        /// A jump this far is a restarted sender, not a loss of thousands of packets.
        public var restartJump: Int

        public init(
            maximumTracked: Int = 500, maximumAttempts: Int = 10, maximumAge: Duration = .seconds(1),
            reorderingDelay: Duration = .milliseconds(5), minimumRetryInterval: Duration = .milliseconds(20),
            restartJump: Int = 3000
        ) {
            self.maximumTracked = max(maximumTracked, 1)
            self.maximumAttempts = max(maximumAttempts, 1)
            self.maximumAge = maximumAge
            self.reorderingDelay = reorderingDelay
            self.minimumRetryInterval = minimumRetryInterval
            self.restartJump = restartJump
        }
    }

    /// What to do now.
    public struct Poll: Sendable, Hashable {
        /// Sequence numbers to NACK now, oldest first.
        public var nack: [UInt16]
        /// How many missing packets were given up on since the last poll.
        public var newlyLost: Int
    }

    public struct Counters: Sendable, Hashable {
        /// Sequence numbers found missing.
        public var missing = 0
        /// Missing packets that arrived later (retransmitted or reordered).
        public var recovered = 0
        /// Missing packets given up on.
        public var lost = 0
        /// Sequence numbers put in NACKs, repeats included.
        public var requested = 0
        public var restarts = 0
        public init() {}
    }

    struct Missing: Sendable, Hashable {
        var detected: Int64
        var lastRequested: Int64?
        var attempts = 0
    }

    public let configuration: Configuration
    public private(set) var counters = Counters()
    /// The round-trip time NACKs are repeated after; update it from RTCP (`RTCPReportBlock.roundTripTime`).
    public var roundTripTime: Duration = .milliseconds(100)

    /// Missing packets by unwrapped sequence number.
    var missing: [Int64: Missing] = [:]
    var highestSequence: Int64?
    var origin: ContinuousClock.Instant?
    var pendingLost = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sequence numbers currently tracked as missing, oldest first.
    public var missingSequenceNumbers: [UInt16] {
        missing.keys.sorted().map { UInt16(truncatingIfNeeded: $0) }
    }

    /// Records an arriving packet.
    public mutating func packetArrived(sequenceNumber: UInt16, at now: ContinuousClock.Instant) {
        let time = nanoseconds(now)
        guard let highest = highestSequence else {
            highestSequence = Int64(sequenceNumber)
            return
        }
        let sequence = unwrapSequence(sequenceNumber, near: highest)
        if abs(sequence - highest) > Int64(configuration.restartJump) {
            // A restarted sender: nothing of the old stream is worth asking for any more.
            pendingLost += missing.count
            counters.lost += missing.count
            counters.restarts += 1
            missing.removeAll()
            highestSequence = Int64(sequenceNumber)
            return
        }
        if sequence <= highest {
            if missing.removeValue(forKey: sequence) != nil { counters.recovered += 1 }
            return
        }
        // Only the newest `maximumTracked` of a long gap are tracked; older ones are lost already.
        let firstTracked = max(highest + 1, sequence - Int64(configuration.maximumTracked))
        let untracked = Int(firstTracked - (highest + 1))
        counters.missing += Int(sequence - highest - 1)
        counters.lost += untracked
        pendingLost += untracked
        for gap in firstTracked..<sequence { missing[gap] = Missing(detected: time) }
        highestSequence = sequence
        // Only the newest `maximumTracked` stay (age and attempts are checked in `poll`).
        if missing.count > configuration.maximumTracked {
            let excess = missing.keys.sorted().prefix(missing.count - configuration.maximumTracked)
            for old in excess { missing.removeValue(forKey: old) }
            counters.lost += excess.count
            pendingLost += excess.count
        }
    }

    /// The NACKs due at `now`, marked as sent, and the losses since the last poll.
    public mutating func poll(at now: ContinuousClock.Instant) -> Poll {
        let time = nanoseconds(now)
        dropBeyondLimits(now: time)
        let retry = max(roundTripTime, configuration.minimumRetryInterval).wholeNanoseconds
        let reordering = configuration.reorderingDelay.wholeNanoseconds
        var due: [Int64] = []
        for (sequence, state) in missing where state.attempts < configuration.maximumAttempts {
            let ready = if let last = state.lastRequested { time - last >= retry } else { time - state.detected >= reordering }
            if ready { due.append(sequence) }
        }
        due.sort()
        for sequence in due {
            missing[sequence]?.lastRequested = time
            missing[sequence]?.attempts += 1
        }
        counters.requested += due.count
        defer { pendingLost = 0 }
        return Poll(nack: due.map { UInt16(truncatingIfNeeded: $0) }, newlyLost: pendingLost)
    }

    /// When `poll` will next have a NACK to send (or a packet to give up on); nil when nothing is missing.
    public var nextWakeup: ContinuousClock.Instant? {
        guard let origin else { return nil }
        let retry = max(roundTripTime, configuration.minimumRetryInterval).wholeNanoseconds
        let reordering = configuration.reorderingDelay.wholeNanoseconds
        let age = configuration.maximumAge.wholeNanoseconds
        let earliest = missing.values.map { state in
            min(state.lastRequested.map { $0 + retry } ?? state.detected + reordering, state.detected + age)
        }.min()
        return earliest.map { origin + .nanoseconds($0) }
    }

    /// Stops asking for packets the consumer has given up on (the jitter buffer's
    /// `.skipped(firstSequence:count:)`): a retransmission of them would only arrive late.
    public mutating func stopRequesting(firstSequence: UInt16, count: Int) {
        guard let highest = highestSequence, count > 0 else { return }
        let first = unwrapSequence(firstSequence, near: highest)
        // Never more than are tracked, however large `count` is.
        var removed = 0
        if count <= missing.count {
            for sequence in first..<(first + Int64(count)) where missing.removeValue(forKey: sequence) != nil {
                removed += 1
            }
        } else {
            let skipped = missing.keys.filter { $0 >= first && $0 < first + Int64(count) }
            for sequence in skipped { missing.removeValue(forKey: sequence) }
            removed = skipped.count
        }
        counters.lost += removed
        pendingLost += removed
    }

    /// Forgets everything (e.g. the sender changed).
    public mutating func reset() {
        missing.removeAll()
        highestSequence = nil
        pendingLost = 0
    }

    private mutating func nanoseconds(_ now: ContinuousClock.Instant) -> Int64 {
        let origin = self.origin ?? now
        self.origin = origin
        return (now - origin).wholeNanoseconds
    }

    /// Gives up on packets asked for too often, missing too long, or too far behind.
    private mutating func dropBeyondLimits(now: Int64) {
        let age = configuration.maximumAge.wholeNanoseconds
        let oldestKept = (highestSequence ?? 0) - Int64(configuration.maximumTracked)
        let retry = max(roundTripTime, configuration.minimumRetryInterval).wholeNanoseconds
        let expired = missing.filter { sequence, state in
            // The last allowed NACK gets one retry interval to be answered before giving up.
            let exhausted = state.attempts >= configuration.maximumAttempts
                && now - (state.lastRequested ?? now) >= retry
            return exhausted || now - state.detected >= age || sequence < oldestKept
        }
        for sequence in expired.keys { missing.removeValue(forKey: sequence) }
        counters.lost += expired.count
        pendingLost += expired.count
    }
}
