/// What could be read of a request that failed to parse: enough, when its Via, From, To, Call-ID
/// and CSeq were readable, for a UAS to send the 4xx/5xx that RFC 3261 §8.2 asks for.
public struct SIPRequestContext: Sendable, Hashable {
    /// The method token of the request line, nil if even that was unreadable.
    public var method: SIPMethod?
    /// Every header field read before the error, in order.
    public var headers: SIPHeaders

    public init(method: SIPMethod?, headers: SIPHeaders) {
        self.method = method
        self.headers = headers
    }

    /// An answer built from the readable header fields (RFC 3261 §8.2.6.2); nil without a Via
    /// header, since the response could not be routed back.
    public func response(statusCode: Int, reasonPhrase: String? = nil, toTag: String? = nil) -> SIPResponse? {
        guard headers["Via"] != nil else { return nil }
        return SIPResponse(
            statusCode: statusCode,
            reasonPhrase: reasonPhrase,
            copyingDialogHeadersFrom: headers,
            toTag: toTag
        )
    }
}
