// The state machines keep time as Int64 nanoseconds internally: integer arithmetic is exact
// and cheap, and an Int64 of nanoseconds spans 292 years.

extension Duration {
    /// The duration in whole nanoseconds (sub-nanosecond parts truncated, saturating at the Int64 range).
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }

    /// `nanoseconds` converted to ticks of a `clockRate` Hz media clock, without overflowing
    /// for any realistic call length.
    static func ticks(nanoseconds: Int64, clockRate: Int64) -> Int64 {
        let seconds = nanoseconds / 1_000_000_000
        let remainder = nanoseconds % 1_000_000_000
        return seconds * clockRate + remainder * clockRate / 1_000_000_000
    }

    /// Ticks of a `clockRate` Hz media clock in nanoseconds.
    static func nanoseconds(ticks: Int64, clockRate: Int64) -> Int64 {
        let seconds = ticks / clockRate
        let remainder = ticks % clockRate
        return seconds * 1_000_000_000 + remainder * 1_000_000_000 / clockRate
    }
}

/// Unwraps a 16-bit RTP sequence number to a 64-bit one, taking the nearer of the candidates
/// around `reference` (a previously unwrapped number): half the circle either way.
func unwrapSequence(_ sequence: UInt16, near reference: Int64) -> Int64 {
    let delta = Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: reference))
    return reference + Int64(delta)
}

/// Unwraps a 32-bit RTP timestamp the same way.
func unwrapTimestamp(_ timestamp: UInt32, near reference: Int64) -> Int64 {
    let delta = Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: reference))
    return reference + Int64(delta)
}
