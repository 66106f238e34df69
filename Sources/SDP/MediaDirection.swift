/// The direction attributes (RFC 8866 §6.7, RFC 3264 §5.1), from the point of view of the side that
/// wrote the SDP.
public enum MediaDirection: String, Sendable, Hashable, CaseIterable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The same stream seen from the other side: sendonly ↔ recvonly.
    public var reversed: MediaDirection { MediaDirection(sends: receives, receives: sends) }
}
