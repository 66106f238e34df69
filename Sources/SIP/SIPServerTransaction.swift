/// A server transaction (RFC 3261 §17.2): INVITE (Figure 7, with RFC 6026's Accepted state: the 2xx is
/// retransmitted by the transaction user, the ACK goes to the user) or non-INVITE (Figure 8). It absorbs
/// request retransmissions by resending its last response.
public struct SIPServerTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case proceeding, trying, completed, confirmed, accepted, terminated
    }

    public let request: SIPRequest
    public let reliable: Bool
    public let timers: SIPTimerValues
    public private(set) var state: State
    public private(set) var lastResponse: SIPResponse?
    private var retransmitInterval: Duration

    public var isInvite: Bool { request.method == .invite }

    /// The key retransmissions and the ACK are matched by (§17.2.3).
    public var key: SIPTransactionKey? { SIPTransactionKey(serverRequest: request) }

    public init(request: SIPRequest, reliable: Bool, timers: SIPTimerValues = SIPTimerValues()) {
        self.request = request
        self.reliable = reliable
        self.timers = timers
        state = request.method == .invite ? .proceeding : .trying
        retransmitInterval = timers.t1
    }

    /// An INVITE is answered at once with 100 Trying, so the client stops retransmitting while the
    /// user decides (§17.2.1 allows waiting 200 ms; a kiosk has no reason to).
    public mutating func start() -> [SIPTransactionAction] {
        guard isInvite else { return [] }
        let trying = SIPResponse(replyingTo: request, statusCode: 100)
        lastResponse = trying
        return [.send(.response(trying))]
    }

    public mutating func handle(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        isInvite ? handleInvite(event) : handleNonInvite(event)
    }

    private mutating func handleInvite(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        switch (state, event) {
        case (.proceeding, .respond(let r)) where r.isProvisional:
            lastResponse = r
            return [.send(.response(r))]
        case (.proceeding, .respond(let r)) where r.isSuccess:
            state = .accepted
            lastResponse = r
            return [.send(.response(r)), .startTimer(.l, timers.transactionTimeout)]
        case (.proceeding, .respond(let r)):
            state = .completed
            lastResponse = r
            var actions: [SIPTransactionAction] = [.send(.response(r))]
            if !reliable { actions.append(.startTimer(.g, timers.t1)) }
            actions.append(.startTimer(.h, timers.transactionTimeout))
            return actions
        case (.proceeding, .request(let r)) where r.method == .invite, (.completed, .request(let r)) where r.method == .invite:
            return lastResponse.map { [.send(.response($0))] } ?? []
        case (.completed, .timer(.g)):
            retransmitInterval = min(retransmitInterval * 2, timers.t2)
            return (lastResponse.map { [.send(.response($0))] } ?? []) + [.startTimer(.g, retransmitInterval)]
        case (.completed, .timer(.h)):
            state = .terminated
            return [.cancelTimer(.g), .ackTimedOut, .terminated]
        case (.completed, .request(let r)) where r.method == .ack:
            state = .confirmed
            return [.cancelTimer(.g), .cancelTimer(.h), .startTimer(.i, reliable ? .zero : timers.t4)]
        case (.confirmed, .timer(.i)), (.accepted, .timer(.l)):
            state = .terminated
            return [.terminated]
        case (.accepted, .respond(let r)) where r.isSuccess:
            // The user retransmits its 2xx until the ACK comes (§13.3.1.4); the transaction passes it on.
            lastResponse = r
            return [.send(.response(r))]
        case (_, .transportError) where state != .terminated:
            state = .terminated
            return [.cancelTimer(.g), .cancelTimer(.h), .transportFailed, .terminated]
        default:
            return []
        }
    }

    private mutating func handleNonInvite(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        switch (state, event) {
        case (.trying, .respond(let r)) where r.isProvisional, (.proceeding, .respond(let r)) where r.isProvisional:
            state = .proceeding
            lastResponse = r
            return [.send(.response(r))]
        case (.trying, .respond(let r)), (.proceeding, .respond(let r)):
            state = .completed
            lastResponse = r
            return [.send(.response(r)), .startTimer(.j, reliable ? .zero : timers.transactionTimeout)]
        case (.proceeding, .request), (.completed, .request):
            return lastResponse.map { [.send(.response($0))] } ?? []
        case (.completed, .timer(.j)):
            state = .terminated
            return [.terminated]
        case (_, .transportError) where state != .terminated:
            state = .terminated
            return [.transportFailed, .terminated]
        default:
            return []
        }
    }
}
