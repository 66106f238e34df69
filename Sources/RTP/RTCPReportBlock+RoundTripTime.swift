extension RTCPReportBlock {
    /// The round trip to the reporter (RFC 3550 §6.4.1, Figure 2): the report's arrival time minus
    /// LSR minus DLSR, all as the middle 32 bits of NTP time (1/65536 s). `arrival` is the wall-clock
    /// time the report arrived. Nil when the reporter has not yet heard an SR (LSR 0) or the result
    /// is negative (clocks or a forged block).
    public func roundTripTime(arrival: NTPTimestamp) -> Duration? {
        guard lastSR != 0 else { return nil }
        let units = arrival.middle32 &- lastSR &- delaySinceLastSR
        guard Int32(bitPattern: units) >= 0 else { return nil }
        return .nanoseconds(Int64(units) * 1_000_000_000 / 65536)
    }
}
