/// A client transaction (RFC 3261 §17.1): the INVITE one (Figure 5, with RFC 6026's Accepted state so
/// 2xx retransmissions reach the user, who ACKs them) or the non-INVITE one (Figure 6). A value that
/// takes events and returns actions; the owner sends, runs timers and delivers.
public struct SIPClientTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case calling, trying, proceeding, completed, accepted, terminated
    }

    public let request: SIPRequest
    /// Whether the transport is reliable (TCP, TLS): no retransmissions, no lingering in Completed.
    public let reliable: Bool
    public let timers: SIPTimerValues
    public private(set) var state: State
    private var retransmitInterval: Duration
    private var ack: SIPRequest?

    public var isInvite: Bool { request.method == .invite }

    /// The key responses are matched by (§17.1.3): the branch of the top Via and the CSeq method.
    public var key: SIPTransactionKey? { SIPTransactionKey(clientRequest: request) }

    public init(request: SIPRequest, reliable: Bool, timers: SIPTimerValues = SIPTimerValues()) {
        self.request = request
        self.reliable = reliable
        self.timers = timers
        state = request.method == .invite ? .calling : .trying
        retransmitInterval = timers.t1
    }

    /// Sends the request and arms the timers.
    public mutating func start() -> [SIPTransactionAction] {
        var actions: [SIPTransactionAction] = [.send(.request(request))]
        if !reliable { actions.append(.startTimer(isInvite ? .a : .e, timers.t1)) }
        actions.append(.startTimer(isInvite ? .b : .f, timers.transactionTimeout))
        return actions
    }

    public mutating func handle(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        isInvite ? handleInvite(event) : handleNonInvite(event)
    }

    private mutating func handleInvite(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        switch (state, event) {
        case (.calling, .timer(.a)):
            retransmitInterval = retransmitInterval * 2
            return [.send(.request(request)), .startTimer(.a, retransmitInterval)]
        case (.calling, .timer(.b)):
            state = .terminated
            return [.cancelTimer(.a), .timedOut, .terminated]
        case (.calling, .response(let r)) where r.isProvisional, (.proceeding, .response(let r)) where r.isProvisional:
            // Timer B runs in Calling only (Figure 5): once the far end rings, a call may wait in the
            // contact center's queue for minutes; the call's own ring timeout decides how long.
            let wasCalling = state == .calling
            state = .proceeding
            return (wasCalling ? [.cancelTimer(.a), .cancelTimer(.b)] : []) + [.deliverResponse(r)]
        case (.calling, .response(let r)) where r.isSuccess, (.proceeding, .response(let r)) where r.isSuccess:
            state = .accepted
            return [.cancelTimer(.a), .cancelTimer(.b), .deliverResponse(r), .startTimer(.m, timers.transactionTimeout)]
        case (.calling, .response(let r)), (.proceeding, .response(let r)):
            // 3xx–6xx: the transaction ACKs it itself, then absorbs retransmissions in Completed.
            state = .completed
            ack = request.ackForNonSuccessResponse(r)
            var actions: [SIPTransactionAction] = [.cancelTimer(.a), .cancelTimer(.b)]
            if let ack { actions.append(.send(.request(ack))) }
            actions.append(.deliverResponse(r))
            actions.append(.startTimer(.d, reliable ? .zero : .seconds(32)))
            return actions
        case (.completed, .response(let r)) where r.isFinal && !r.isSuccess:
            return ack.map { [.send(.request($0))] } ?? []
        case (.completed, .timer(.d)), (.accepted, .timer(.m)):
            state = .terminated
            return [.terminated]
        case (.accepted, .response(let r)) where r.isSuccess:
            return [.deliverResponse(r)]
        case (.calling, .transportError), (.proceeding, .transportError):
            state = .terminated
            return [.cancelTimer(.a), .cancelTimer(.b), .transportFailed, .terminated]
        default:
            return []
        }
    }

    private mutating func handleNonInvite(_ event: SIPTransactionEvent) -> [SIPTransactionAction] {
        switch (state, event) {
        case (.trying, .timer(.e)):
            retransmitInterval = min(retransmitInterval * 2, timers.t2)
            return [.send(.request(request)), .startTimer(.e, retransmitInterval)]
        case (.proceeding, .timer(.e)):
            return [.send(.request(request)), .startTimer(.e, timers.t2)]
        case (.trying, .timer(.f)), (.proceeding, .timer(.f)):
            state = .terminated
            return [.cancelTimer(.e), .timedOut, .terminated]
        case (.trying, .response(let r)) where r.isProvisional, (.proceeding, .response(let r)) where r.isProvisional:
            state = .proceeding
            return [.deliverResponse(r)]
        case (.trying, .response(let r)), (.proceeding, .response(let r)):
            state = .completed
            return [.cancelTimer(.e), .cancelTimer(.f), .deliverResponse(r), .startTimer(.k, reliable ? .zero : timers.t4)]
        case (.completed, .timer(.k)):
            state = .terminated
            return [.terminated]
        case (.trying, .transportError), (.proceeding, .transportError):
            state = .terminated
            return [.cancelTimer(.e), .cancelTimer(.f), .transportFailed, .terminated]
        default:
            return []
        }
    }
}
