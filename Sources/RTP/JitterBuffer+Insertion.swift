extension JitterBuffer {
    /// A restart is confirmed when the packet after the held one follows it this closely.
    static let restartConfirmationWindow: Int64 = 100

    /// Takes one arriving packet at `now`.
    public mutating func insert(_ packet: RTPPacket, at now: ContinuousClock.Instant) -> Insertion {
        counters.received += 1
        let origin = self.origin ?? now
        self.origin = origin
        let arrival = (now - origin).wholeNanoseconds

        guard let next = nextSequence, let ssrc else {
            start(with: packet, arrival: arrival)
            return .buffered(droppedOldest: 0)
        }

        let sequence = unwrapSequence(packet.sequenceNumber, near: highestSequence)
        let jump = Int64(configuration.restartJump)
        if packet.ssrc != ssrc || sequence > highestSequence + jump || sequence < next - jump {
            return holdOrRestart(packet, arrival: arrival)
        }
        if heldPacket != nil {
            // The packet after the held one belongs to the old stream: the held one was garbage.
            heldPacket = nil
            counters.discardedAsJump += 1
        }
        return buffer(packet, sequence: sequence, arrival: arrival, next: next)
    }

    private mutating func buffer(_ packet: RTPPacket, sequence: Int64, arrival: Int64, next: Int64) -> Insertion {
        if sequence < next {
            // Before anything is played the start may move back to an early packet that was
            // overtaken, as long as the buffer's span allows it.
            guard !hasPlayed, highestSequence - sequence < Int64(configuration.maximumPackets) else {
                counters.late += 1
                return .late
            }
            nextSequence = sequence
        }
        let index = insertionIndex(for: sequence)
        if index < entries.count, entries[index].sequence == sequence {
            counters.duplicate += 1
            return .duplicate
        }
        let timestamp = timing.unwrap(packet.timestamp)
        measureArrival(timestamp: timestamp, arrival: arrival, advances: sequence > highestSequence)
        let entry = Entry(packet: packet, sequence: sequence, timestamp: timestamp, arrival: arrival)
        entries.insert(entry, at: index)
        highestSequence = max(highestSequence, sequence)
        return .buffered(droppedOldest: enforceBounds())
    }

    /// A far-off packet: the first is held; one that follows the held one confirms a restart.
    private mutating func holdOrRestart(_ packet: RTPPacket, arrival: Int64) -> Insertion {
        if let held = heldPacket, held.packet.ssrc == packet.ssrc {
            let distance = Int64(Int16(bitPattern: packet.sequenceNumber &- held.packet.sequenceNumber))
            if distance > 0, distance <= Self.restartConfirmationWindow {
                let flushed = entries.count
                counters.flushedOnRestart += flushed
                counters.restarts += 1
                entries.removeAll()
                heldPacket = nil
                timing.forgetSender()
                start(with: held.packet, arrival: held.arrival)
                _ = buffer(packet, sequence: highestSequence + distance, arrival: arrival, next: nextSequence ?? 0)
                return .restarted(flushed: flushed)
            }
        }
        if heldPacket != nil { counters.discardedAsJump += 1 }
        heldPacket = (packet, arrival)
        return .heldAsPossibleRestart
    }

    /// Starts a stream at `packet`.
    private mutating func start(with packet: RTPPacket, arrival: Int64) {
        ssrc = packet.ssrc
        let sequence = Int64(packet.sequenceNumber)
        nextSequence = sequence
        highestSequence = sequence
        hasPlayed = false
        let timestamp = Int64(packet.timestamp)
        measureArrival(timestamp: timestamp, arrival: arrival, advances: true)
        entries = [Entry(packet: packet, sequence: sequence, timestamp: timestamp, arrival: arrival)]
    }

    /// The index at which `sequence` is or would be in `entries` (binary search; usually the end).
    private func insertionIndex(for sequence: Int64) -> Int {
        if let last = entries.last, last.sequence < sequence { return entries.count }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Drops the oldest packets while the buffer holds too many or spans too much media time.
    private mutating func enforceBounds() -> Int {
        let maximumSpan = Duration.ticks(nanoseconds: configuration.maximumSpan.wholeNanoseconds,
                                         clockRate: Int64(configuration.clockRate))
        var dropped = 0
        while let first = entries.first, let last = entries.last,
              entries.count > configuration.maximumPackets || last.timestamp - first.timestamp > maximumSpan
        {
            // Everything before the dropped packet is passed over too: the cursor moves past it.
            counters.lost += Int(first.sequence - (nextSequence ?? first.sequence))
            nextSequence = first.sequence + 1
            hasPlayed = true
            entries.removeFirst()
            counters.overflowDropped += 1
            dropped += 1
        }
        return dropped
    }
}
