/// An adaptive jitter buffer for one RTP stream: packets go in as they arrive, come out in
/// sequence order when their playout time has come. Time is passed in, never read, so the buffer
/// is a plain value the socket thread drives (`insert` on each packet, `poll` at `nextWakeup`).
///
/// Playout time of a packet = the time its timestamp would have arrived over the fastest path seen
/// recently (the minimum transit over a sliding window, which follows clock drift) + the current
/// delay. The delay is clamp(k × interarrival jitter + margin, min, max) (RFC 3550 §A.8 jitter):
/// it grows at once when jitter grows and shrinks slowly, so one quiet second does not undo it.
///
/// Video: all packets of a frame share a timestamp, so a frame comes out when its time comes. A
/// hole in the sequence is waited for `missingPacketWait` past the playout time of the packet after
/// it (so a NACKed retransmission can still fill it), then skipped; the VP8 depacketizer then sees
/// the gap and drops the frame. Audio uses a wait of zero: late audio is concealed, not awaited.
public struct JitterBuffer: Sendable {
    /// What `poll` hands out, in order.
    public enum Output: Sendable, Hashable {
        /// The next packet in sequence order.
        case packet(RTPPacket)
        /// `count` sequence numbers starting at `firstSequence` were given up on.
        case skipped(firstSequence: UInt16, count: Int)
    }

    /// What happened to an inserted packet.
    public enum Insertion: Sendable, Hashable {
        /// Buffered; `droppedOldest` older packets were dropped to stay within the bounds.
        case buffered(droppedOldest: Int)
        /// Behind what was already played out: dropped.
        case late
        /// Already buffered: dropped.
        case duplicate
        /// Far from the stream (a sequence jump of more than `restartJump`, or another SSRC): held
        /// until the next packet shows whether it is a restarted sender or garbage.
        case heldAsPossibleRestart
        /// The sender restarted (confirmed by a second packet following the held one): the buffer
        /// dropped its `flushed` packets and started again. The consumer should reset its
        /// depacketizer, whose sequence state belongs to the old stream.
        case restarted(flushed: Int)
    }

    /// Counts since creation. Every received packet ends up in exactly one of played, late,
    /// duplicate, overflowDropped, flushedOnRestart, discardedAsJump, or is still buffered.
    public struct Counters: Sendable, Hashable {
        public var received = 0
        public var played = 0
        public var late = 0
        public var duplicate = 0
        /// Dropped because the buffer was full (in packets or in media time).
        public var overflowDropped = 0
        /// Buffered packets of the old stream dropped when the sender restarted.
        public var flushedOnRestart = 0
        /// Packets held as a possible restart that the next packet did not confirm.
        public var discardedAsJump = 0
        /// Sequence numbers never received and skipped over (not packets: nothing arrived).
        public var lost = 0
        public var restarts = 0

        public init() {}
    }

    public struct Configuration: Sendable, Hashable {
        /// Media clock ticks per second (90 000 for VP8, 48 000 for Opus).
        public var clockRate: Int
        public var minimumDelay: Duration
        public var maximumDelay: Duration
        /// The delay before any jitter has been measured.
        public var initialDelay: Duration
        /// k in delay = k × jitter + margin.
        public var jitterMultiplier: Double
        public var delayMargin: Duration
        /// How fast the delay may come down towards a lower target.
        public var delayShrinkPerSecond: Duration
        /// At most this many packets are buffered.
        public var maximumPackets: Int
        /// At most this much media time (by timestamp) is buffered.
        public var maximumSpan: Duration
        /// How long past its neighbour's playout time a missing packet is waited for.
        public var missingPacketWait: Duration
        /// A packet this many sequence numbers away from the stream is a possible restart.
        public var restartJump: Int

        public init(
            clockRate: Int, minimumDelay: Duration, maximumDelay: Duration, initialDelay: Duration,
            jitterMultiplier: Double = 3, delayMargin: Duration, delayShrinkPerSecond: Duration = .milliseconds(10),
            maximumPackets: Int, maximumSpan: Duration, missingPacketWait: Duration, restartJump: Int = 3000
        ) {
            self.clockRate = max(clockRate, 1)
            self.minimumDelay = minimumDelay
            self.maximumDelay = max(maximumDelay, minimumDelay)
            self.initialDelay = initialDelay
            self.jitterMultiplier = jitterMultiplier
            self.delayMargin = delayMargin
            self.delayShrinkPerSecond = delayShrinkPerSecond
            self.maximumPackets = max(maximumPackets, 1)
            self.maximumSpan = maximumSpan
            self.missingPacketWait = missingPacketWait
            self.restartJump = restartJump
        }

        /// VP8 at 90 kHz: a frame is many packets; holes are waited for so NACK can repair them.
        public static let video = Configuration(
            clockRate: 90_000, minimumDelay: .milliseconds(10), maximumDelay: .milliseconds(500),
            initialDelay: .milliseconds(80), delayMargin: .milliseconds(15),
            maximumPackets: 1024, maximumSpan: .seconds(2), missingPacketWait: .milliseconds(150))

        /// Opus at 48 kHz, one packet per 20 ms: a hole is skipped as soon as its successor is due.
        public static let audio = Configuration(
            clockRate: 48_000, minimumDelay: .milliseconds(20), maximumDelay: .milliseconds(300),
            initialDelay: .milliseconds(60), delayMargin: .milliseconds(10),
            maximumPackets: 100, maximumSpan: .seconds(1), missingPacketWait: .zero)
    }

    struct Entry: Sendable {
        var packet: RTPPacket
        var sequence: Int64
        var timestamp: Int64
        /// Nanoseconds since `origin`.
        var arrival: Int64
    }

    public let configuration: Configuration
    public internal(set) var counters = Counters()
    /// How long a hole is waited for; starts at the configuration's value. Set it from the RTT
    /// (a NACK and its answer must fit: e.g. 1.5 × RTT + a margin) as reports come in.
    public var missingPacketWait: Duration

    /// Buffered packets, sorted by unwrapped sequence number, all at or after `nextSequence`.
    var entries: [Entry] = []
    /// A far-off packet waiting for the next one to confirm a restart.
    var heldPacket: (packet: RTPPacket, arrival: Int64)?
    var ssrc: UInt32?
    /// All times are nanoseconds since this instant (the first insert).
    var origin: ContinuousClock.Instant?
    /// The next sequence number to play (unwrapped); nil before the first packet.
    var nextSequence: Int64?
    var highestSequence: Int64 = 0
    /// Before anything is played, an earlier packet may still move the start back (reordering
    /// at the very start of the stream).
    var hasPlayed = false
    var timing = PlayoutTiming()

    public init(configuration: Configuration) {
        self.configuration = configuration
        missingPacketWait = configuration.missingPacketWait
        timing.delay = configuration.initialDelay.wholeNanoseconds
    }

    /// Packets buffered, the one held as a possible restart included.
    public var bufferedCount: Int { entries.count + (heldPacket == nil ? 0 : 1) }

    /// The current playout delay on top of the fastest transit.
    public var currentDelay: Duration { .nanoseconds(timing.delay) }

    /// The RFC 3550 interarrival jitter estimate.
    public var jitter: Duration { .nanoseconds(Int64(timing.jitter)) }

    /// When `poll` will next have something to hand out; nil when empty.
    public var nextWakeup: ContinuousClock.Instant? {
        guard let origin, let first = entries.first, let next = nextSequence else { return nil }
        var due = playoutTime(of: first)
        if first.sequence != next { due += missingPacketWait.wholeNanoseconds }
        return origin + .nanoseconds(due)
    }
}
