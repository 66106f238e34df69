import NIOCore
import SIP

/// Parses each UDP datagram into a message; a CRLF keep-alive (RFC 5626 §4.4.1 uses STUN, many
/// servers send bare CRLF) is ignored.
final class SIPDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let parser: SIPMessageParser
    let events: AsyncStream<SIPTransportEvent>.Continuation

    init(parser: SIPMessageParser, events: AsyncStream<SIPTransportEvent>.Continuation) {
        self.parser = parser
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let peer = SIPPeer(kind: .udp, address: envelope.remoteAddress)
        if bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) { return }
        do {
            events.yield(.message(try parser.parse(bytes), from: peer))
        } catch {
            events.yield(.malformed(error, from: peer))
        }
    }
}
