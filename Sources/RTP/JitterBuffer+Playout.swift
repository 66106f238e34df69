extension JitterBuffer {
    /// Hands out, in sequence order, every packet whose playout time has come at `now`, and
    /// skips holes that were waited for long enough.
    public mutating func poll(at now: ContinuousClock.Instant) -> [Output] {
        guard let origin, var next = nextSequence else { return [] }
        let time = (now - origin).wholeNanoseconds
        let wait = missingPacketWait.wholeNanoseconds
        var outputs: [Output] = []
        var taken = 0
        while taken < entries.count {
            let entry = entries[taken]
            if entry.sequence == next {
                guard playoutTime(of: entry) <= time else { break }
                outputs.append(.packet(entry.packet))
                taken += 1
                next += 1
            } else {
                guard playoutTime(of: entry) + wait <= time else { break }
                let missing = Int(entry.sequence - next)
                outputs.append(.skipped(firstSequence: UInt16(truncatingIfNeeded: next), count: missing))
                counters.lost += missing
                next = entry.sequence
            }
        }
        entries.removeFirst(taken)
        counters.played += taken
        if !outputs.isEmpty { hasPlayed = true }
        nextSequence = next
        return outputs
    }

    /// Drops everything and forgets the stream (e.g. a re-INVITE changed the sender).
    public mutating func reset() {
        counters.flushedOnRestart += bufferedCount
        entries.removeAll()
        heldPacket = nil
        ssrc = nil
        nextSequence = nil
        hasPlayed = false
        timing.forgetSender()
    }
}
