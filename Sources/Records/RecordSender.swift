/// What became of one attempt to hand a record to the reporting endpoint.
public enum SendResult: Sendable, Equatable {
    /// 2xx: taken.
    case delivered
    /// 409: the endpoint already has this id (an earlier attempt got through but its answer was lost).
    case duplicate
    /// Anything else (another status, a refused connection, a time-out): try again later.
    case failed(String)
}

/// Hands one record to the reporting endpoint.
public protocol RecordSender: Sendable {
    func send(_ record: InteractionRecord) async -> SendResult
    /// Releases connections when delivery stops.
    func shutdown() async
}

extension RecordSender {
    public func shutdown() async {}
}
