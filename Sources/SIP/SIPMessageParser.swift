/// Parses SIP messages (RFC 3261 §7) from bytes, with no Foundation and no copying into
/// intermediate strings beyond the header values themselves.
///
/// What is checked, so the layers above can trust a parsed message:
/// - requests: a three-part request line, SIP/2.0 (else 505), a sip/sips/tel Request-URI
///   without headers (else 416 / 400), and Via, From, To, Call-ID and CSeq present and
///   well formed, with the CSeq method equal to the request method. Max-Forwards, when
///   present, must be 0...255. A missing Max-Forwards is accepted: RFC 3261 §8.1.1.6 makes the
///   UAC send it, but §8.2 lists no UAS check for it and §16.6 has proxies add it, so
///   rejecting it would only break calls through old or sloppy peers.
/// - Contact values must parse (or be `*`); Content-Length must be digits.
/// - responses: SIP/2.0, a three-digit code 100...699, and the same header checks; a failure
///   is `.malformedResponse`, to be dropped.
/// Other header fields are kept as text and parsed when asked for.
public struct SIPMessageParser: Sendable, Hashable {
    /// Larger messages are rejected with 513 (RFC 3261 §18.1.1 caps UDP at the path MTU, but
    /// a fragmented datagram may still reach 65 535 bytes).
    public var maxMessageSize: Int
    /// More header fields than this are rejected (a defence against header floods).
    public var maxHeaderCount: Int

    public init(maxMessageSize: Int = 65_535, maxHeaderCount: Int = 256) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaderCount = maxHeaderCount
    }

    /// Parses one datagram with the default limits.
    public static func parse(_ bytes: [UInt8]) throws(SIPParseError) -> SIPMessage {
        try SIPMessageParser().parse(bytes)
    }

    /// Parses one datagram (UDP): the body is what follows the header section, cut to
    /// Content-Length when that is smaller (RFC 3261 §18.3 discards the excess); a larger
    /// Content-Length means a truncated message and is a 400.
    public func parse(_ bytes: [UInt8]) throws(SIPParseError) -> SIPMessage {
        let head = SIPMessageHead.parse(bytes, from: 0, to: bytes.count, maxHeaderCount: maxHeaderCount)
        guard bytes.count <= maxMessageSize else {
            throw head.isResponse
                ? .malformedResponse(reason: "Message Too Large")
                : .messageTooLarge(limit: maxMessageSize, context: Self.context(head, bytes))
        }
        let remaining = bytes.count - head.bodyStart
        var bodyLength = remaining
        if head.isTerminated, let declared = try Self.contentLength(head, bytes) {
            guard declared <= remaining else {
                throw Self.error(head, bytes, "Bad Content-Length")
            }
            bodyLength = declared
        }
        return try Self.message(head, bytes, body: head.bodyStart..<(head.bodyStart + bodyLength))
    }
}
