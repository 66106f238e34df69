/// What ties a message to its transaction (RFC 3261 §17.1.3, §17.2.3): the top Via's branch, and the
/// method (CANCEL and the INVITE it cancels are different transactions; an ACK for a non-2xx belongs to
/// the INVITE's). Servers also compare sent-by, since the branch is only unique per client.
public struct SIPTransactionKey: Sendable, Hashable, CustomStringConvertible {
    public var branch: String
    public var method: SIPMethod
    /// The top Via's sent-by, for server transactions; empty for client ones.
    public var sentBy: String

    public init(branch: String, method: SIPMethod, sentBy: String = "") {
        self.branch = branch
        self.method = method
        self.sentBy = sentBy
    }

    /// The key of a client transaction that sent `request`.
    public init?(clientRequest request: SIPRequest) {
        guard let branch = request.topVia?.branch else { return nil }
        self.init(branch: branch, method: request.method == .ack ? .invite : request.method)
    }

    /// The client transaction a response belongs to.
    public init?(response: SIPResponse) {
        guard let branch = response.topVia?.branch, let method = response.cseq?.method else { return nil }
        self.init(branch: branch, method: method)
    }

    /// The server transaction a request belongs to (an ACK matches its INVITE's).
    public init?(serverRequest request: SIPRequest) {
        guard let via = request.topVia, let branch = via.branch, via.hasRFC3261Branch else { return nil }
        self.init(branch: branch, method: request.method == .ack ? .invite : request.method, sentBy: via.sentBy.lowercased())
    }

    public var description: String { "\(branch) \(method.rawValue)\(sentBy.isEmpty ? "" : " " + sentBy)" }
}
