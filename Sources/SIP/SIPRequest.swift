/// A SIP request (RFC 3261 §7.1) as a plain value. Header fields stay text; the typed
/// accessors (`cseq`, `vias`, ...) in `SIPHeaderBearing` parse them on demand.
public struct SIPRequest: SIPHeaderBearing, Sendable, Hashable {
    public var method: SIPMethod
    public var requestURI: SIPURI
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(method: SIPMethod, requestURI: SIPURI, headers: SIPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.requestURI = requestURI
        self.headers = headers
        self.body = body
    }

    /// `Method SP Request-URI SP SIP/2.0`.
    public var requestLine: String { method.rawValue + " " + requestURI.description + " SIP/2.0" }
}
