/// A 64-bit NTP timestamp (RFC 3550 §4): seconds since 1900-01-01 in the high 32 bits, binary
/// fraction of a second in the low 32. The seconds wrap in 2036 (NTP era 1); RTCP only ever
/// compares nearby values, so the wrap is harmless.
public struct NTPTimestamp: Sendable, Hashable, Comparable, RawRepresentable {
    /// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(seconds: UInt32, fraction: UInt32) {
        rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    /// From Unix time as whole seconds plus nanoseconds (e.g. a `timespec`). Nanoseconds above
    /// 999 999 999 are clamped.
    public init(unixSeconds: Int64, nanoseconds: UInt32) {
        let seconds = UInt32(truncatingIfNeeded: unixSeconds &+ Int64(Self.unixEpochOffset))
        let nanos = UInt64(min(nanoseconds, 999_999_999))
        self.init(seconds: seconds, fraction: UInt32((nanos << 32) / 1_000_000_000))
    }

    /// From Unix time in seconds. Non-finite or pre-1900 values give 0; seconds wrap modulo 2^32.
    public init(unixSeconds: Double) {
        let ntp = unixSeconds + Double(Self.unixEpochOffset)
        guard ntp.isFinite, ntp >= 0 else {
            self.init(rawValue: 0)
            return
        }
        let wrapped = ntp.truncatingRemainder(dividingBy: 4_294_967_296)
        let whole = wrapped.rounded(.down)
        let fraction = min((wrapped - whole) * 4_294_967_296, Double(UInt32.max))
        self.init(seconds: UInt32(whole), fraction: UInt32(fraction))
    }

    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// The middle 32 bits: what a report block carries as LSR (RFC 3550 §6.4.1), in 1/65536 s.
    public var middle32: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// Unix time in seconds, assuming NTP era 0 (before 2036).
    public var unixSeconds: Double {
        Double(seconds) - Double(Self.unixEpochOffset) + Double(fraction) / 4_294_967_296
    }

    public static func < (lhs: NTPTimestamp, rhs: NTPTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }
}
