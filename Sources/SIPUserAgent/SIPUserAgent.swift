import Logging
import NIOCore
import SIP
import SIPTransport

/// The SIP user agent's engine room: it runs the transaction state machines (RFC 3261 §17) over the
/// transport layer, their timers on a clock, and hands the rest up. Clients ask it to send a request
/// and await the final outcome; requests from the network that start a new server transaction come out
/// of `incomingRequests`, and the owner answers them with `respond`. Retransmissions in both directions
/// never reach the owner.
public actor SIPUserAgent {
    public struct Configuration: Sendable {
        /// Where the UDP socket binds (`0.0.0.0`, a port or 0 for any).
        public var bindHost: String
        public var bindPort: Int
        /// The address put in Via and Contact: the kiosk's own, or the one a NAT maps it to.
        public var advertisedHost: String?
        public var advertisedPort: Int?
        /// CA file that TLS peers' certificates are checked against.
        public var trustRoots: String?
        public var timers: SIPTimerValues

        public init(bindHost: String = "0.0.0.0", bindPort: Int = 5060, advertisedHost: String? = nil, advertisedPort: Int? = nil,
                    trustRoots: String? = nil, timers: SIPTimerValues = SIPTimerValues()) {
            self.bindHost = bindHost
            self.bindPort = bindPort
            self.advertisedHost = advertisedHost
            self.advertisedPort = advertisedPort
            self.trustRoots = trustRoots
            self.timers = timers
        }
    }

    /// How a client transaction ended.
    public enum Outcome: Sendable {
        case response(SIPResponse)
        case timedOut
        case transportFailed(String)
    }

    /// A request that started a server transaction (or an ACK for a 2xx, which has none).
    public struct IncomingRequest: Sendable {
        public var request: SIPRequest
        public var from: SIPPeer
    }

    public let configuration: Configuration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private var transport: SIPTransportLayer?
    private var eventsTask: Task<Void, Never>?
    private var writerTask: Task<Void, Never>?
    /// Messages go out in the order the transactions asked for them (an ACK before the BYE after it).
    private let outbound: AsyncStream<Outgoing>.Continuation
    private let outboundMessages: AsyncStream<Outgoing>
    private var clients: [SIPTransactionKey: ClientEntry] = [:]
    private var servers: [SIPTransactionKey: ServerEntry] = [:]
    private var timers: [TimerKey: Task<Void, Never>] = [:]
    private let incoming: AsyncStream<IncomingRequest>.Continuation
    public nonisolated let incomingRequests: AsyncStream<IncomingRequest>

    private struct ClientEntry {
        var transaction: SIPClientTransaction
        var peer: SIPPeer
        var serverName: String?
        var onProvisional: (@Sendable (SIPResponse) -> Void)?
        var onResponseAfterFinal: (@Sendable (SIPResponse) -> Void)?
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private struct Outgoing: Sendable {
        var message: SIPMessage
        var peer: SIPPeer
        var serverName: String?
        var completion: @Sendable (Bool) -> Void
    }

    private struct ServerEntry {
        var transaction: SIPServerTransaction
        var peer: SIPPeer
    }

    private struct TimerKey: Hashable {
        var transaction: SIPTransactionKey
        var client: Bool
        var timer: SIPTimer
    }

    public init(configuration: Configuration, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        (incomingRequests, incoming) = AsyncStream.makeStream(of: IncomingRequest.self, bufferingPolicy: .bufferingNewest(256))
        (outboundMessages, outbound) = AsyncStream.makeStream(of: Outgoing.self)
    }

    /// Binds the transports and starts reading.
    public func start() async throws {
        let layer = try await SIPTransportLayer.bind(host: configuration.bindHost, port: configuration.bindPort,
                                                     trustRoots: configuration.trustRoots)
        transport = layer
        eventsTask = Task { [weak self] in
            for await event in layer.events {
                await self?.handle(event)
            }
        }
        let logger = self.logger, messages = outboundMessages
        writerTask = Task {
            for await out in messages {
                do {
                    try await layer.send(out.message, to: out.peer, serverName: out.serverName)
                    out.completion(false)
                } catch {
                    logger.warning("sip: \(error)")
                    out.completion(true)
                }
            }
        }
        logger.info("sip: listening on udp \(layer.localUDPAddress)")
    }

    /// The UDP port actually bound.
    public var localPort: Int { transport?.localUDPAddress.port ?? configuration.bindPort }

    /// `host:port` for Via sent-by and Contact.
    public var advertisedHostPort: String {
        let host = advertisedHost
        let port = configuration.advertisedPort ?? localPort
        return (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The host alone (no brackets): what SDP's c= line carries for media on this address.
    public var advertisedHost: String {
        configuration.advertisedHost ?? transport?.localUDPAddress.ipAddress ?? configuration.bindHost
    }

    public func stop() async {
        for (_, task) in timers { task.cancel() }
        timers = [:]
        for (key, entry) in clients {
            entry.continuation?.resume(returning: .transportFailed("user agent stopped"))
            clients[key]?.continuation = nil
        }
        clients = [:]
        servers = [:]
        outbound.finish()
        await writerTask?.value
        await transport?.close()
        eventsTask?.cancel()
        incoming.finish()
    }

    // MARK: - Client transactions

    /// Sends `request` in a new client transaction to `peer` and returns its final outcome. Provisional
    /// responses go to `onProvisional`; for an INVITE, 2xx retransmissions after the first go to
    /// `onResponseAfterFinal` (the dialog ACKs each).
    public func send(_ request: SIPRequest, to peer: SIPPeer, serverName: String? = nil,
                     onProvisional: (@Sendable (SIPResponse) -> Void)? = nil,
                     onResponseAfterFinal: (@Sendable (SIPResponse) -> Void)? = nil) async -> Outcome {
        var transaction = SIPClientTransaction(request: request, reliable: peer.kind.isReliable, timers: configuration.timers)
        guard let key = transaction.key else { return .transportFailed("request has no Via branch") }
        return await withCheckedContinuation { continuation in
            clients[key] = ClientEntry(transaction: transaction, peer: peer, serverName: serverName, onProvisional: onProvisional,
                                       onResponseAfterFinal: onResponseAfterFinal, continuation: continuation)
            let actions = transaction.start()
            clients[key]?.transaction = transaction
            apply(actions, client: key)
        }
    }

    /// Sends a request outside any transaction: the ACK for a 2xx (RFC 3261 §13.2.2.4).
    public func sendWithoutTransaction(_ request: SIPRequest, to peer: SIPPeer, serverName: String? = nil) {
        write(.request(request), to: peer, serverName: serverName) { _ in }
    }

    private func apply(_ actions: [SIPTransactionAction], client key: SIPTransactionKey) {
        guard let entry = clients[key] else { return }
        for action in actions {
            switch action {
            case let .send(message):
                write(message, to: entry.peer, serverName: entry.serverName) { [weak self] failed in
                    guard failed else { return }
                    Task { await self?.clientEvent(.transportError, key: key) }
                }
            case let .startTimer(timer, after): startTimer(TimerKey(transaction: key, client: true, timer: timer), after: after)
            case let .cancelTimer(timer): cancelTimer(TimerKey(transaction: key, client: true, timer: timer))
            case let .deliverResponse(response):
                if response.isProvisional {
                    entry.onProvisional?(response)
                } else if let continuation = clients[key]?.continuation {
                    clients[key]?.continuation = nil
                    continuation.resume(returning: .response(response))
                } else {
                    entry.onResponseAfterFinal?(response)
                }
            case .timedOut: finishClient(key, .timedOut)
            case .transportFailed: finishClient(key, .transportFailed("cannot reach \(entry.peer)"))
            case .terminated:
                finishClient(key, .timedOut)
                for timer in SIPTimer.allCases { cancelTimer(TimerKey(transaction: key, client: true, timer: timer)) }
                clients[key] = nil
            case .ackTimedOut: break
            }
        }
    }

    private func finishClient(_ key: SIPTransactionKey, _ outcome: Outcome) {
        guard let continuation = clients[key]?.continuation else { return }
        clients[key]?.continuation = nil
        continuation.resume(returning: outcome)
    }

    private func clientEvent(_ event: SIPTransactionEvent, key: SIPTransactionKey) {
        guard var entry = clients[key] else { return }
        let actions = entry.transaction.handle(event)
        clients[key] = entry
        apply(actions, client: key)
    }

    // MARK: - Server transactions

    /// Answers a request that came out of `incomingRequests`, through its server transaction.
    public func respond(_ response: SIPResponse, to request: SIPRequest) {
        guard let key = SIPTransactionKey(serverRequest: request), var entry = servers[key] else {
            logger.debug("sip: no transaction for the response \(response.statusCode) to \(request.method)")
            return
        }
        let actions = entry.transaction.handle(.respond(response))
        servers[key] = entry
        apply(actions, server: key)
    }

    /// Answers a message that could not be parsed, when it was a request with enough headers to answer.
    private func respondToMalformed(_ error: SIPParseError, from peer: SIPPeer) {
        // An ACK is never answered (RFC 3261 §17.2.1), however broken.
        guard error.context?.method != .ack, let response = error.response(toTag: nil) else {
            logger.debug("sip: dropped a malformed message from \(peer): \(error)")
            return
        }
        logger.info("sip: answered a malformed request from \(peer) with \(response.statusCode) \(response.reasonPhrase)")
        write(.response(response), to: peer, serverName: nil) { _ in }
    }

    private func apply(_ actions: [SIPTransactionAction], server key: SIPTransactionKey) {
        guard let entry = servers[key] else { return }
        for action in actions {
            switch action {
            case let .send(message): write(message, to: entry.peer, serverName: nil) { _ in }
            case let .startTimer(timer, after): startTimer(TimerKey(transaction: key, client: false, timer: timer), after: after)
            case let .cancelTimer(timer): cancelTimer(TimerKey(transaction: key, client: false, timer: timer))
            case .terminated:
                for timer in SIPTimer.allCases { cancelTimer(TimerKey(transaction: key, client: false, timer: timer)) }
                servers[key] = nil
            case .ackTimedOut, .transportFailed, .timedOut, .deliverResponse: break
            }
        }
    }

    // MARK: - Network events

    private func handle(_ event: SIPTransportEvent) {
        switch event {
        case let .message(.response(response), from: _):
            guard let key = SIPTransactionKey(response: response), clients[key] != nil else {
                logger.debug("sip: stray response \(response.statusCode) (no transaction)")
                return
            }
            clientEvent(.response(response), key: key)
        case let .message(.request(request), from: peer):
            receive(request, from: peer)
        case let .malformed(error, from: peer):
            respondToMalformed(error, from: peer)
        case let .connectionClosed(peer):
            logger.info("sip: connection to \(peer) closed")
        }
    }

    private func receive(_ request: SIPRequest, from peer: SIPPeer) {
        guard let key = SIPTransactionKey(serverRequest: request) else {
            // RFC 2543-style requests without a magic-cookie branch are not matched; answer them fresh.
            incoming.yield(IncomingRequest(request: request, from: peer))
            return
        }
        if var entry = servers[key] {
            let actions = entry.transaction.handle(.request(request))
            servers[key] = entry
            apply(actions, server: key)
            return
        }
        if request.method == .ack {
            // The ACK for a 2xx has a transaction of its own and goes to the dialog.
            incoming.yield(IncomingRequest(request: request, from: peer))
            return
        }
        var transaction = SIPServerTransaction(request: request, reliable: peer.kind.isReliable, timers: configuration.timers)
        servers[key] = ServerEntry(transaction: transaction, peer: peer)
        let actions = transaction.start()
        servers[key]?.transaction = transaction
        apply(actions, server: key)
        incoming.yield(IncomingRequest(request: request, from: peer))
    }

    // MARK: - I/O and timers

    private func write(_ message: SIPMessage, to peer: SIPPeer, serverName: String?, completion: @escaping @Sendable (Bool) -> Void) {
        guard transport != nil else { return completion(true) }
        outbound.yield(Outgoing(message: message, peer: peer, serverName: serverName, completion: completion))
    }

    private func startTimer(_ key: TimerKey, after duration: Duration) {
        timers[key]?.cancel()
        let clock = self.clock
        timers[key] = Task { [weak self] in
            do { try await clock.sleep(for: duration) } catch { return }
            await self?.fire(key)
        }
    }

    private func cancelTimer(_ key: TimerKey) {
        timers.removeValue(forKey: key)?.cancel()
    }

    private func fire(_ key: TimerKey) {
        guard timers.removeValue(forKey: key) != nil else { return }
        if key.client {
            clientEvent(.timer(key.timer), key: key.transaction)
        } else if var entry = servers[key.transaction] {
            let actions = entry.transaction.handle(.timer(key.timer))
            servers[key.transaction] = entry
            apply(actions, server: key.transaction)
        }
    }
}
