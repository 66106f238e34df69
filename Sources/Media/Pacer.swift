/// Spreads a frame's packets over time instead of sending a key frame's burst at once, which would
/// overflow a small router buffer. A leaky bucket at `rate` bits per second; times are passed in, so it
/// is a plain value that tests can drive.
public struct Pacer: Sendable {
    /// The pacing rate in bits per second (a multiple of the media bitrate, as WebRTC paces at 2.5x).
    public var bitsPerSecond: Int
    private var nextSendNanos: UInt64 = 0

    public init(bitsPerSecond: Int) {
        self.bitsPerSecond = max(64_000, bitsPerSecond)
    }

    /// When a packet of `bytes` may go, given the current time; the caller sends it then.
    public mutating func sendTime(forPacketOf bytes: Int, now: UInt64) -> UInt64 {
        let start = max(now, nextSendNanos)
        nextSendNanos = start + UInt64(bytes * 8) * 1_000_000_000 / UInt64(bitsPerSecond)
        return start
    }
}
