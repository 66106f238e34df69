/// The URI schemes a SIP user agent routes on. Other schemes are rejected with
/// `SIPParseError.unsupportedURIScheme` (416 for a Request-URI, RFC 3261 §8.2.2.1).
public enum SIPURIScheme: String, Sendable, Hashable, CaseIterable {
    case sip
    case sips
    /// RFC 3966 telephone numbers; the number is kept in `SIPURI.user`.
    case tel
}
