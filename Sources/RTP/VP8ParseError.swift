/// Why a VP8 payload descriptor (RFC 7741 §4.2) was rejected.
public enum VP8ParseError: Error, Sendable, Equatable {
    /// The payload ends before the descriptor its flag bits announce.
    case truncated(needed: Int, available: Int)
}
