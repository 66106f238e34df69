/// Random tokens for branches, tags, Call-IDs and cnonces. A SplitMix64 seeded by the owner (from the
/// system's generator in use, a fixed seed in tests), so state machines stay deterministic values.
public struct SIPTokenSource: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A token of 16 lowercase hex digits.
    public mutating func token() -> String {
        let s = String(next(), radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// A branch with RFC 3261's magic cookie, so servers match transactions by it (§8.1.1.7).
    public mutating func branch() -> String { "z9hG4bK" + token() }

    /// A number in `range`, for retry jitter.
    public mutating func number(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
    }
}
