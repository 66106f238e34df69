extension SIPVia {
    /// The rport parameter (RFC 3581 §3–4): present without a value in a request, filled in by
    /// the server with the source port it saw.
    public enum RPort: Sendable, Hashable {
        case requested
        case port(UInt16)
    }
}
