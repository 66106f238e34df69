import Logging
import NIOCore
import SIP
import SIPTransport

/// Runs a `SIPCall` on a user agent: each request it sends in a client transaction to the request's
/// next hop (its first Route, else its Request-URI), ACKs for 2xx without one, responses through the
/// server transactions of the requests routed to it, its timers on the clock. What the call engine
/// needs to hear (ringing, answered, offers, messages, the end) comes out of `events`.
public actor SIPCallRunner {
    public enum Event: Sendable, Equatable {
        case ringing(statusCode: Int, earlySDP: [UInt8]?)
        case progress(statusCode: Int, reason: String)
        case answered(remoteSDP: [UInt8])
        case remoteOffer(sdp: [UInt8])
        case remoteOfferWithdrawn
        case remoteAnswer(sdp: [UInt8])
        case reinviteFailed(statusCode: Int?, reason: String)
        /// `sender`: the From's display name, else its user part (nil: neither).
        case messageReceived(text: String, contentType: String?, sender: String?)
        case infoReceived(body: [UInt8], contentType: String?)
        case messageDelivered(id: Int, ok: Bool)
        case ended(SIPCallEndReason)
    }

    private var call: SIPCall
    private let userAgent: SIPUserAgent
    private let clock: any Clock<Duration>
    private let logger: Logger
    private var timers: [SIPCall.CallTimer: Task<Void, Never>] = [:]
    private let continuation: AsyncStream<Event>.Continuation
    public nonisolated let events: AsyncStream<Event>
    /// When the INVITE was handed to the transport (for the placement-latency figure).
    public private(set) var inviteSentAt: ContinuousClock.Instant?
    /// Responses and transaction outcomes, in the order the user agent produced them (a 180 before
    /// the 200 it preceded), handled one at a time.
    private let inbox: AsyncStream<SIPCall.Event>.Continuation
    private let inboxEvents: AsyncStream<SIPCall.Event>
    private var inboxTask: Task<Void, Never>?

    public init(call: SIPCall, userAgent: SIPUserAgent, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.call = call
        self.userAgent = userAgent
        self.clock = clock
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
        (inboxEvents, inbox) = AsyncStream.makeStream(of: SIPCall.Event.self)
    }

    /// Sends the INVITE and starts handling what comes back.
    public func start() {
        guard inboxTask == nil else { return }
        let stream = inboxEvents
        inboxTask = Task { [weak self] in
            for await event in stream { await self?.handle(event) }
        }
        handle(.start)
    }

    public var state: SIPCall.State { call.state }
    public var callID: String { call.callID }

    /// Whether an incoming request belongs to this call's dialog.
    public func matches(_ request: SIPRequest) -> Bool { call.matches(request) }

    public func handle(_ event: SIPCall.Event) {
        for action in call.handle(event) { perform(action) }
    }

    /// A request the user agent routed here (in this dialog).
    public func receive(_ request: SIPRequest) { handle(.request(request)) }

    private func perform(_ action: SIPCall.Action) {
        switch action {
        case let .send(request):
            let ua = userAgent
            let peer: SIPPeer
            do { peer = try Self.peer(for: SIPDialog.nextHop(of: request)) } catch {
                logger.error("sip: cannot send \(request.method.rawValue): \(error)")
                handle(.transactionFailed(request, .transportFailed("\(error)")))
                return
            }
            if request.method == .invite && inviteSentAt == nil { inviteSentAt = .now }
            let inbox = self.inbox
            Task {
                let outcome = await ua.send(request, to: peer, onProvisional: { inbox.yield(.response($0)) },
                                            onResponseAfterFinal: { inbox.yield(.response($0)) })
                switch outcome {
                case let .response(response): inbox.yield(.response(response))
                case .timedOut: inbox.yield(.transactionFailed(request, .timedOut))
                case let .transportFailed(why): inbox.yield(.transactionFailed(request, .transportFailed(why)))
                }
            }
        case let .sendAck(ack):
            do {
                let peer = try Self.peer(for: SIPDialog.nextHop(of: ack))
                let ua = userAgent
                Task { await ua.sendWithoutTransaction(ack, to: peer) }
            } catch {
                logger.error("sip: cannot send ACK: \(error)")
            }
        case let .respond(response, to: request):
            let ua = userAgent
            Task { await ua.respond(response, to: request) }
        case let .startTimer(timer, after):
            timers[timer]?.cancel()
            let clock = self.clock
            timers[timer] = Task { [weak self] in
                do { try await clock.sleep(for: after) } catch { return }
                await self?.fire(timer)
            }
        case let .cancelTimer(timer):
            timers.removeValue(forKey: timer)?.cancel()
        case let .ringing(response, earlySDP): continuation.yield(.ringing(statusCode: response.statusCode, earlySDP: earlySDP))
        case let .progress(response): continuation.yield(.progress(statusCode: response.statusCode, reason: response.reasonPhrase))
        case let .answered(sdp): continuation.yield(.answered(remoteSDP: sdp))
        case let .remoteOffer(sdp): continuation.yield(.remoteOffer(sdp: sdp))
        case .remoteOfferWithdrawn: continuation.yield(.remoteOfferWithdrawn)
        case let .remoteAnswer(sdp): continuation.yield(.remoteAnswer(sdp: sdp))
        case let .reinviteFailed(code, reason): continuation.yield(.reinviteFailed(statusCode: code, reason: reason))
        case let .messageReceived(body, contentType, from):
            continuation.yield(.messageReceived(text: String(decoding: body, as: UTF8.self), contentType: contentType,
                                                sender: from.flatMap(\.senderName)))
        case let .infoReceived(body, contentType): continuation.yield(.infoReceived(body: body, contentType: contentType))
        case let .messageDelivered(id, ok): continuation.yield(.messageDelivered(id: id, ok: ok))
        case .infoDelivered: break
        case let .ended(reason):
            for (_, task) in timers { task.cancel() }
            timers = [:]
            continuation.yield(.ended(reason))
            continuation.finish()
            inbox.finish()
        }
    }

    private func fire(_ timer: SIPCall.CallTimer) {
        guard timers.removeValue(forKey: timer) != nil else { return }
        handle(.timer(timer))
    }

    /// The transport address of a next hop: an IP literal or a name resolved once, the URI's port or
    /// the transport's default, UDP unless `;transport=` says otherwise.
    public static func peer(for uri: SIPURI) throws -> SIPPeer {
        let kind: SIPTransportKind
        switch uri.transport?.lowercased() {
        case "tcp": kind = uri.scheme == .sips ? .tls : .tcp
        case "tls": kind = .tls
        default: kind = uri.scheme == .sips ? .tls : .udp
        }
        let port = uri.port.map(Int.init) ?? kind.defaultPort
        // A name (not an address literal) is what the peer's TLS certificate must carry.
        let isAddress = (try? SocketAddress(ipAddress: String(uri.host.filter { $0 != "[" && $0 != "]" }), port: port)) != nil
        return SIPPeer(kind: kind, address: try SocketAddress.makeAddressResolvingHost(uri.host, port: port),
                       serverName: isAddress ? nil : uri.host)
    }
}
