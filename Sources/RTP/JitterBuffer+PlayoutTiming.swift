extension JitterBuffer {
    /// The clock side of the buffer: maps timestamps to local playout times and adapts the delay.
    /// All values in nanoseconds since the buffer's origin.
    struct PlayoutTiming: Sendable, Hashable {
        /// The minimum transit is taken over the current and the previous window of this length,
        /// so it follows a drifting sender clock within a few seconds.
        static let transitWindow: Int64 = 2_000_000_000
        /// A transit this far from the estimate is not jitter but a timestamp jump.
        static let outlierTransit: Int64 = 5_000_000_000
        /// This many outliers in a row re-base the timing (the sender's timestamps really jumped).
        static let outliersBeforeRebase = 8

        /// Unwrapped timestamp of media time zero, and the last one seen (the unwrapping reference).
        var baseTimestamp: Int64?
        var referenceTimestamp: Int64 = 0
        var windowStart: Int64 = 0
        var currentWindowMinimum: Int64?
        var previousWindowMinimum: Int64?
        var lastTransit: Int64?
        /// RFC 3550 jitter in nanoseconds.
        var jitter: Double = 0
        var delay: Int64 = 0
        var lastDelayUpdate: Int64?
        var outlierRun = 0

        /// The fastest transit seen recently; nil before the first packet.
        var minimumTransit: Int64? {
            switch (currentWindowMinimum, previousWindowMinimum) {
            case let (current?, previous?): min(current, previous)
            case let (current, previous): current ?? previous
            }
        }

        /// Forgets the sender's clock (a restart); keeps jitter and delay, which describe the network.
        mutating func forgetSender() {
            baseTimestamp = nil
            currentWindowMinimum = nil
            previousWindowMinimum = nil
            lastTransit = nil
            outlierRun = 0
        }

        /// Unwraps a timestamp near the last one.
        func unwrap(_ timestamp: UInt32) -> Int64 {
            baseTimestamp == nil ? Int64(timestamp) : unwrapTimestamp(timestamp, near: referenceTimestamp)
        }

        func mediaTime(_ timestamp: Int64, clockRate: Int) -> Int64 {
            Duration.nanoseconds(ticks: timestamp - (baseTimestamp ?? timestamp), clockRate: Int64(clockRate))
        }
    }

    /// When `entry` is due: its ideal time, but never later than its arrival + the maximum delay,
    /// so a wild timestamp cannot hold a packet (and everything behind it) forever.
    func playoutTime(of entry: Entry) -> Int64 {
        let ideal = timing.mediaTime(entry.timestamp, clockRate: configuration.clockRate)
            + (timing.minimumTransit ?? 0) + timing.delay
        return min(ideal, entry.arrival + configuration.maximumDelay.wholeNanoseconds)
    }

    /// Feeds one arrival to the transit estimate, the jitter and the delay. `advances` is false
    /// for packets behind the highest sequence (reordered or retransmitted): their late arrival
    /// is the repair path's delay, not the network's jitter.
    mutating func measureArrival(timestamp: Int64, arrival: Int64, advances: Bool) {
        if timing.baseTimestamp == nil {
            timing.baseTimestamp = timestamp
            timing.referenceTimestamp = timestamp
            timing.windowStart = arrival
        }
        let transit = arrival - timing.mediaTime(timestamp, clockRate: configuration.clockRate)
        if let minimum = timing.minimumTransit, abs(transit - minimum) > PlayoutTiming.outlierTransit {
            timing.outlierRun += 1
            guard timing.outlierRun >= PlayoutTiming.outliersBeforeRebase else { return }
            timing.forgetSender()
            timing.baseTimestamp = timestamp
            timing.windowStart = arrival
            measureArrival(timestamp: timestamp, arrival: arrival, advances: advances)
            return
        }
        timing.outlierRun = 0
        if advances { timing.referenceTimestamp = timestamp }

        if arrival - timing.windowStart >= PlayoutTiming.transitWindow {
            timing.previousWindowMinimum = timing.currentWindowMinimum
            timing.currentWindowMinimum = nil
            timing.windowStart = arrival
        }
        timing.currentWindowMinimum = min(timing.currentWindowMinimum ?? transit, transit)

        guard advances else { return }
        if let last = timing.lastTransit {
            // RFC 3550 §A.8: J += (|D| - J) / 16.
            timing.jitter += (Double(abs(transit - last)) - timing.jitter) / 16
        }
        timing.lastTransit = transit
        adaptDelay(at: arrival)
    }

    /// Grows the delay at once to a higher target; lowers it at most `delayShrinkPerSecond`.
    mutating func adaptDelay(at now: Int64) {
        let minimum = configuration.minimumDelay.wholeNanoseconds
        let maximum = configuration.maximumDelay.wholeNanoseconds
        let wanted = configuration.jitterMultiplier * timing.jitter
            + Double(configuration.delayMargin.wholeNanoseconds)
        let target = min(max(Int64(min(wanted, Double(maximum))), minimum), maximum)
        let elapsed = max(now - (timing.lastDelayUpdate ?? now), 0)
        timing.lastDelayUpdate = now
        if target >= timing.delay {
            timing.delay = target
        } else {
            let step = Int64(Double(configuration.delayShrinkPerSecond.wholeNanoseconds) * Double(elapsed) / 1e9)
            timing.delay = max(target, timing.delay - step)
        }
    }
}
