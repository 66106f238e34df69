/// The send side of NACK (RFC 4585 §6.2.1): keeps the last packets sent on one stream and answers
/// a NACK with those still held. Retransmissions are the original packets, same SSRC and sequence
/// number: the SDP negotiates no RFC 4588 rtx stream. Bounded by count and age, and rate-limited
/// by a token bucket of octets so a NACK storm (or a forged one) cannot make it send unboundedly.
public struct RetransmissionBuffer: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Packets kept.
        public var capacity: Int
        /// Older packets are not resent: the receiver's jitter buffer has moved on.
        public var maximumAge: Duration
        /// Sustained retransmission rate.
        public var octetsPerSecond: Int
        /// Octets that may go out at once (the bucket's size).
        public var burstOctets: Int
        /// A packet resent less than this long ago is not resent again (duplicate NACKs).
        public var minimumResendInterval: Duration

        public init(
            capacity: Int = 1024, maximumAge: Duration = .seconds(1), octetsPerSecond: Int = 250_000,
            burstOctets: Int = 64_000, minimumResendInterval: Duration = .milliseconds(10)
        ) {
            self.capacity = max(capacity, 1)
            self.maximumAge = maximumAge
            self.octetsPerSecond = max(octetsPerSecond, 0)
            self.burstOctets = max(burstOctets, 0)
            self.minimumResendInterval = minimumResendInterval
        }
    }

    public struct Counters: Sendable, Hashable {
        public var stored = 0
        public var retransmitted = 0
        /// Asked for but no longer held (or never sent).
        public var notHeld = 0
        /// Held but not resent because the rate limit was reached.
        public var rateLimited = 0
        /// Held but resent very recently.
        public var resentRecently = 0
        public init() {}
    }

    struct Stored: Sendable {
        var packet: RTPPacket
        var sent: Int64
        var lastResent: Int64?
    }

    public let configuration: Configuration
    public private(set) var counters = Counters()
    /// Ring of slots indexed by arrival order; `bySequence` finds a packet's slot.
    var slots: [Stored?]
    var nextSlot = 0
    var bySequence: [UInt16: Int] = [:]
    var origin: ContinuousClock.Instant?
    var tokens: Double
    var lastRefill: Int64?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        slots = Array(repeating: nil, count: configuration.capacity)
        tokens = Double(configuration.burstOctets)
    }

    /// Packets currently held.
    public var count: Int { bySequence.count }

    /// Remembers a packet just sent. A packet with the sequence number of a held one replaces it.
    public mutating func packetSent(_ packet: RTPPacket, at now: ContinuousClock.Instant) {
        let time = nanoseconds(now)
        if let old = slots[nextSlot], bySequence[old.packet.sequenceNumber] == nextSlot {
            bySequence.removeValue(forKey: old.packet.sequenceNumber)
        }
        if let previous = bySequence[packet.sequenceNumber] { slots[previous] = nil }
        slots[nextSlot] = Stored(packet: packet, sent: time)
        bySequence[packet.sequenceNumber] = nextSlot
        nextSlot = (nextSlot + 1) % slots.count
        counters.stored += 1
    }

    /// The packets to resend for `sequenceNumbers` (from `RTCPGenericNack.sequenceNumbers`), in
    /// the order asked, within the age, resend interval and rate limits.
    public mutating func retransmissions(
        for sequenceNumbers: some Sequence<UInt16>, at now: ContinuousClock.Instant
    ) -> [RTPPacket] {
        let time = nanoseconds(now)
        refill(at: time)
        let maximumAge = configuration.maximumAge.wholeNanoseconds
        let resendInterval = configuration.minimumResendInterval.wholeNanoseconds
        var packets: [RTPPacket] = []
        for sequence in sequenceNumbers {
            guard let slot = bySequence[sequence], let stored = slots[slot], time - stored.sent <= maximumAge else {
                counters.notHeld += 1
                continue
            }
            if let last = stored.lastResent, time - last < resendInterval {
                counters.resentRecently += 1
                continue
            }
            let size = Double(stored.packet.headerSize + stored.packet.payload.count + Int(stored.packet.paddingCount))
            guard tokens >= size else {
                counters.rateLimited += 1
                continue
            }
            tokens -= size
            slots[slot]?.lastResent = time
            packets.append(stored.packet)
            counters.retransmitted += 1
        }
        return packets
    }

    /// Answers a NACK addressed to `ssrc` (the stream this buffer holds); others get nothing.
    public mutating func retransmissions(
        for nack: RTCPGenericNack, ssrc: UInt32, at now: ContinuousClock.Instant
    ) -> [RTPPacket] {
        guard nack.mediaSSRC == ssrc else { return [] }
        return retransmissions(for: nack.sequenceNumbers, at: now)
    }

    private mutating func refill(at time: Int64) {
        let elapsed = max(time - (lastRefill ?? time), 0)
        lastRefill = time
        tokens = min(Double(configuration.burstOctets),
                     tokens + Double(configuration.octetsPerSecond) * Double(elapsed) / 1e9)
    }

    private mutating func nanoseconds(_ now: ContinuousClock.Instant) -> Int64 {
        let origin = self.origin ?? now
        self.origin = origin
        return (now - origin).wholeNanoseconds
    }
}
