import NIOCore

/// The transports SIP runs over (RFC 3261 §18), as Via spells them.
public enum SIPTransportKind: String, Sendable, Hashable, CaseIterable {
    case udp = "UDP"
    case tcp = "TCP"
    case tls = "TLS"

    /// Streams are reliable: transactions do not retransmit over them.
    public var isReliable: Bool { self != .udp }

    /// The default port when a URI names none (§19.1.2).
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }
}

/// A peer as the transport layer knows it: the transport and the socket address.
public struct SIPPeer: Sendable, Hashable, CustomStringConvertible {
    public var kind: SIPTransportKind
    public var address: SocketAddress
    /// The name the peer was found by (`cc.example.org`), which a TLS certificate must name; nil when
    /// the peer is known by its address only. Not part of the peer's identity: an answer from the
    /// same address over the same transport is the same peer.
    public var serverName: String?

    public init(kind: SIPTransportKind, address: SocketAddress, serverName: String? = nil) {
        self.kind = kind
        self.address = address
        self.serverName = serverName
    }

    public static func == (lhs: SIPPeer, rhs: SIPPeer) -> Bool { lhs.kind == rhs.kind && lhs.address == rhs.address }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(address)
    }

    public var description: String { "\(kind.rawValue.lowercased()):\(address.ipAddress ?? "?"):\(address.port ?? 0)" }
}
