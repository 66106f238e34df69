/// What a `SIPStreamFramer` found next on a TCP/TLS connection.
public enum SIPStreamEvent: Sendable, Hashable {
    case message(SIPMessage)
    /// A CRLFCRLF keep-alive ping (RFC 5626 §3.5.1): answer with a single CRLF.
    case keepAlivePing
    /// A single CRLF: the pong answering our ping (RFC 5626 §4.4.1).
    case keepAlivePong
}
