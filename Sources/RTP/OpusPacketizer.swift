/// Opus over RTP (RFC 7587 §4): one Opus packet per RTP payload, no payload header, and an RTP
/// clock of 48 kHz whatever rate the encoder actually runs at.
public struct OpusPacketizer: Sendable, Hashable {
    public static let clockRate: UInt32 = 48_000

    public init() {}

    /// The payloads for one encoded Opus packet: itself. Empty input (nothing to send) gives none.
    public func payloads(for opusPacket: [UInt8]) -> [[UInt8]] {
        opusPacket.isEmpty ? [] : [opusPacket]
    }

    /// RTP timestamp ticks for `sampleCount` samples at `sampleRate`, i.e. the 48 kHz equivalent
    /// (20 ms at 16 kHz = 320 samples → 960 ticks).
    public static func timestampIncrement(sampleCount: Int, sampleRate: Int) -> UInt32 {
        guard sampleRate > 0, sampleCount > 0 else { return 0 }
        return UInt32(truncatingIfNeeded: sampleCount * Int(clockRate) / sampleRate)
    }
}
