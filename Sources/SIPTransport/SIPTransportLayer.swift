import NIOCore
import NIOPosix
import NIOSSL
import SIP
import Synchronization

/// The SIP transports over SwiftNIO: one UDP socket and a TCP listener on the same port (RFC 3261 §18:
/// a UA takes requests over both), and TCP or TLS connections opened on first use to a peer and reused
/// for everything to and from it. TLS checks the peer's certificate against the configured CA and the
/// name asked for. Messages arrive as `events`; `send` writes one out (to a peer that connected to us,
/// over its connection). The user agent above does everything else.
public final class SIPTransportLayer: Sendable {
    public let events: AsyncStream<SIPTransportEvent>
    private let continuation: AsyncStream<SIPTransportEvent>.Continuation
    private let group: any EventLoopGroup
    private let udp: any Channel
    private let tcpListener = Mutex<(any Channel)?>(nil)
    private let parser: SIPMessageParser
    private let tlsContext: NIOSSLContext?
    private let connections = Mutex<[SocketAddress: EventLoopFuture<any Channel>]>([:])
    /// The last error a connection to each peer failed with (a TLS handshake's), for the send error.
    private let connectionErrors = Mutex<[SocketAddress: String]>([:])

    /// The address of the UDP socket (its port when 0 was asked for).
    public let localUDPAddress: SocketAddress

    public enum TransportError: Error, CustomStringConvertible {
        case noTLSConfiguration
        case connectFailed(SIPPeer, String)
        case sendFailed(SIPPeer, String)

        public var description: String {
            switch self {
            case .noTLSConfiguration: return "TLS is not configured (no CA file)"
            case let .connectFailed(peer, why): return "cannot connect to \(peer): \(why)"
            case let .sendFailed(peer, why): return "cannot send to \(peer): \(why)"
            }
        }
    }

    /// Binds UDP on `host:port` (0: any free port). `trustRoots` is the CA file TLS peers are checked
    /// against; without it TLS is refused.
    public static func bind(host: String, port: Int, trustRoots caFile: String? = nil,
                            parser: SIPMessageParser = SIPMessageParser(),
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SIPTransportLayer {
        let (events, continuation) = AsyncStream.makeStream(of: SIPTransportEvent.self, bufferingPolicy: .bufferingNewest(1024))
        var tlsContext: NIOSSLContext?
        if let caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(caFile)
            tls.certificateVerification = .fullVerification
            tlsContext = try NIOSSLContext(configuration: tls)
        }
        let udp = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SIPDatagramHandler(parser: parser, events: continuation))
                }
            }
            .bind(host: host, port: port).get()
        guard let local = udp.localAddress else { throw TransportError.sendFailed(SIPPeer(kind: .udp, address: try .init(ipAddress: host, port: port)), "no local address") }
        let layer = SIPTransportLayer(events: events, continuation: continuation, group: group, udp: udp, parser: parser,
                                      tlsContext: tlsContext, localUDPAddress: local)
        try await layer.listenOnTCP(host: host, port: local.port ?? port)
        return layer
    }

    /// A TCP listener on the UDP port; accepted connections join `connections`, so what goes back to
    /// that peer uses them.
    private func listenOnTCP(host: String, port: Int) async throws {
        let parser = self.parser, continuation = self.continuation
        let register: @Sendable (SIPPeer, any Channel) -> Void = { [weak self] peer, channel in
            self?.connections.withLock { $0[peer.address] = channel.eventLoop.makeSucceededFuture(channel) }
        }
        let forget: @Sendable (SocketAddress) -> Void = { [weak self] address in
            _ = self?.connections.withLock { $0.removeValue(forKey: address) }
        }
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let remote = channel.remoteAddress else { return }
                    let peer = SIPPeer(kind: .tcp, address: remote)
                    register(peer, channel)
                    try channel.pipeline.syncOperations.addHandler(
                        SIPStreamHandler(parser: parser, peer: peer, events: continuation, onClose: { forget(remote) }))
                }
            }
            .bind(host: host, port: port).get()
        tcpListener.withLock { $0 = listener }
    }

    private init(events: AsyncStream<SIPTransportEvent>, continuation: AsyncStream<SIPTransportEvent>.Continuation,
                 group: any EventLoopGroup, udp: any Channel, parser: SIPMessageParser,
                 tlsContext: NIOSSLContext?, localUDPAddress: SocketAddress) {
        self.events = events
        self.continuation = continuation
        self.group = group
        self.udp = udp
        self.parser = parser
        self.tlsContext = tlsContext
        self.localUDPAddress = localUDPAddress
    }

    /// Sends a message to `peer`, opening a TCP/TLS connection first if there is none. `serverName` is
    /// the name a TLS peer's certificate must carry.
    public func send(_ message: SIPMessage, to peer: SIPPeer, serverName: String? = nil) async throws {
        let bytes = message.serialized()
        switch peer.kind {
        case .udp:
            let buffer = udp.allocator.buffer(bytes: bytes)
            do {
                try await udp.writeAndFlush(AddressedEnvelope(remoteAddress: peer.address, data: buffer))
            } catch {
                throw TransportError.sendFailed(peer, "\(error)")
            }
        case .tcp, .tls:
            let channel = try await connection(to: peer, serverName: serverName ?? peer.serverName)
            do {
                try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
            } catch {
                let cause = connectionErrors.withLock { $0.removeValue(forKey: peer.address) }
                throw TransportError.sendFailed(peer, cause ?? "\(error)")
            }
        }
    }

    /// Whether a stream connection to `peer` is open (for keep-alive and flow-failure detection).
    public func hasConnection(to peer: SIPPeer) -> Bool {
        connections.withLock { $0[peer.address] != nil }
    }

    private func connection(to peer: SIPPeer, serverName: String?) async throws -> any Channel {
        if peer.kind == .tls && tlsContext == nil { throw TransportError.noTLSConfiguration }
        let future: EventLoopFuture<any Channel> = connections.withLock { table in
            if let existing = table[peer.address] { return existing }
            let made = connect(peer, serverName: serverName)
            table[peer.address] = made
            return made
        }
        do {
            return try await future.get()
        } catch {
            _ = connections.withLock { $0.removeValue(forKey: peer.address) }
            throw TransportError.connectFailed(peer, "\(error)")
        }
    }

    private func connect(_ peer: SIPPeer, serverName: String?) -> EventLoopFuture<any Channel> {
        let parser = self.parser, continuation = self.continuation, tlsContext = self.tlsContext
        let forget: @Sendable () -> Void = { [weak self] in
            _ = self?.connections.withLock { $0.removeValue(forKey: peer.address) }
        }
        let recordError: @Sendable (any Error) -> Void = { [weak self] error in
            let text = peer.kind == .tls ? "TLS: \(error)" : "\(error)"
            self?.connectionErrors.withLock { $0[peer.address] = text }
        }
        return ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if peer.kind == .tls, let tlsContext {
                        let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        SIPStreamHandler(parser: parser, peer: peer, events: continuation, onClose: forget, onError: recordError))
                }
            }
            .connect(to: peer.address)
    }

    /// Closes every socket and ends `events`.
    public func close() async {
        let open = connections.withLock { table in
            defer { table = [:] }
            return Array(table.values)
        }
        for future in open { try? await future.get().close() }
        let listener = tcpListener.withLock { l in defer { l = nil }; return l }
        try? await listener?.close()
        try? await udp.close()
        continuation.finish()
    }
}
