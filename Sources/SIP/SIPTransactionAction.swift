/// What a transaction asks of its owner after an event. The owner does the I/O: sends on the
/// transport, runs the timers on its clock, hands responses and requests to the transaction user.
public enum SIPTransactionAction: Sendable, Hashable {
    /// Send this message (a client transaction's request, ACK or retransmission; a server
    /// transaction's response, sent per the request's top Via).
    case send(SIPMessage)
    /// Start (or restart) a timer; it fires once, as `SIPTransactionEvent.timer`.
    case startTimer(SIPTimer, Duration)
    case cancelTimer(SIPTimer)
    /// Client: a response for the transaction user (provisional or final, and every 2xx in Accepted).
    case deliverResponse(SIPResponse)
    /// Client: no final response in time (Timer B or F): the user acts as on a 408.
    case timedOut
    /// Server: no ACK for a final non-2xx response (Timer H).
    case ackTimedOut
    /// The transport could not send: the user acts as on a 503 (RFC 3261 §8.1.3.1).
    case transportFailed
    /// The transaction is over; its owner forgets it.
    case terminated
}

/// What happens to a transaction.
public enum SIPTransactionEvent: Sendable, Hashable {
    /// A client transaction's response arrived from the network.
    case response(SIPResponse)
    /// A server transaction's request arrived again (a retransmission, or the ACK for an INVITE).
    case request(SIPRequest)
    /// The transaction user answers a server transaction.
    case respond(SIPResponse)
    case timer(SIPTimer)
    case transportError
}
