import SIP

/// What the transport layer hands up to the user agent.
public enum SIPTransportEvent: Sendable {
    case message(SIPMessage, from: SIPPeer)
    /// A message that did not parse; a request's error carries what is needed to answer 4xx/5xx.
    case malformed(SIPParseError, from: SIPPeer)
    /// A TCP/TLS connection ended (the registrar restarted, the network went away).
    case connectionClosed(SIPPeer)
}
