/// Pairs the far end (what the speaker played, handed over block by block as it went to the device)
/// with the microphone's blocks, sample for sample, across the two threads' jitter. A value the echo
/// canceller keeps under its lock; no clock, no I/O.
///
/// The echo of a far-end sample reaches the microphone the speaker's latency (its device buffer) plus
/// the room's delay after the sample was handed over; the adaptive filter models that delay, so it has
/// to stay put. Hence the pairing is locked to the sample count once made: the capture side always takes
/// the far end that follows what it took last.
/// - At the start (and after a stall) the capture side takes the newest far end, less `margin`: the
///   margin stays waiting so the speaker's thread may run that late without the capture side finding
///   nothing. (It shortens the delay the filter sees by as much: keep it under the speaker's latency.)
/// - A speaker later than that: silence stands in for what is missing, and those samples, when they do
///   come, are skipped, so the pairing holds.
/// - A capture side that stalled until the FIFO overflowed, or a speaker that stopped (more than
///   `maxOwed` missing): the pairing is made anew at the next capture.
public struct FarEndAligner: Sendable {
    public let capacity: Int
    public let margin: Int
    public let maxOwed: Int
    /// Far-end samples dropped: older than a new pairing, or overflowing a stalled capture side.
    public private(set) var dropped = 0
    /// Samples the capture side found missing (silence stood in).
    public private(set) var missing = 0
    /// Pairings made: the first, and one after each stall or stop.
    public private(set) var pairings = 0

    private var fifo: PCMRingBuffer
    private var paired = false
    /// Samples silence stood in for: the next ones to arrive are those, and are skipped.
    private var owed = 0

    public init(capacity: Int, margin: Int, maxOwed: Int) {
        precondition(margin >= 0 && margin < capacity && maxOwed >= 0)
        self.capacity = capacity
        self.margin = margin
        self.maxOwed = maxOwed
        fifo = PCMRingBuffer(capacity: capacity)
    }

    /// Far-end samples waiting for the capture side.
    public var backlog: Int { fifo.count }

    /// The speaker's side: samples as they went to the device.
    public mutating func played<C: Collection>(_ samples: C) where C.Element == Int16 {
        var incoming = samples[...]
        if owed > 0 {
            let skip = min(owed, incoming.count)
            owed -= skip
            incoming = incoming.dropFirst(skip)
        }
        let overflow = fifo.write(incoming)
        if overflow > 0 {
            dropped += overflow
            paired = false
        }
    }

    /// The capture side: the far end for the next `count` microphone samples.
    public mutating func farEnd(for count: Int) -> [Int16] {
        if !paired {
            owed = 0
            guard !fifo.isEmpty else {
                missing += count
                return [Int16](repeating: 0, count: count)
            }
            // Pair the newest far end, less the margin, with this block (silence before it if the speaker
            // has only just begun).
            let excess = fifo.count - (count + margin)
            if excess > 0 {
                fifo.discard(excess)
                dropped += excess
            }
            let take = max(0, fifo.count - margin)
            paired = true
            pairings += 1
            missing += count - take
            return [Int16](repeating: 0, count: count - take) + fifo.read(upTo: take)
        }
        var far = fifo.read(upTo: count)
        let short = count - far.count
        if short > 0 {
            missing += short
            far += [Int16](repeating: 0, count: short)
            owed += short
            if owed > maxOwed {
                paired = false
                owed = 0
            }
        }
        return far
    }

    /// Forgets the far end and the pairing.
    public mutating func reset() {
        fifo.removeAll()
        paired = false
        owed = 0
    }
}
