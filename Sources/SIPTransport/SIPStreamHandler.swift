import NIOCore
import SIP

/// Frames a TCP or TLS byte stream into messages by Content-Length; answers a CRLFCRLF keep-alive ping
/// with CRLF (RFC 5626 §3.5.1). A framing error closes the connection: the stream cannot be resynced.
final class SIPStreamHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var framer: SIPStreamFramer
    private let peer: SIPPeer
    private let events: AsyncStream<SIPTransportEvent>.Continuation
    private let onClose: @Sendable () -> Void
    private let onError: @Sendable (any Error) -> Void

    init(parser: SIPMessageParser, peer: SIPPeer, events: AsyncStream<SIPTransportEvent>.Continuation,
         onClose: @escaping @Sendable () -> Void, onError: @escaping @Sendable (any Error) -> Void = { _ in }) {
        framer = SIPStreamFramer(parser: parser)
        self.peer = peer
        self.events = events
        self.onClose = onClose
        self.onError = onError
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        do {
            while let event = try framer.next() {
                switch event {
                case let .message(message): events.yield(.message(message, from: peer))
                case .keepAlivePing:
                    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "\r\n")), promise: nil)
                case .keepAlivePong: break
                }
            }
        } catch {
            events.yield(.malformed(error, from: peer))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onClose()
        events.yield(.connectionClosed(peer))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed TLS handshake (untrusted certificate, wrong name) lands here; the sender reports it.
        onError(error)
        context.close(promise: nil)
    }
}
