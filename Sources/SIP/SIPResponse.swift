/// A SIP response (RFC 3261 §7.2) as a plain value.
public struct SIPResponse: SIPHeaderBearing, Sendable, Hashable {
    /// 100...699 on the wire; the parser rejects anything else.
    public var statusCode: Int
    public var reasonPhrase: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    /// A nil reason phrase takes the standard one for the code (`standardReasonPhrase(for:)`).
    public init(statusCode: Int, reasonPhrase: String? = nil, headers: SIPHeaders = [:], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.reasonPhrase = reasonPhrase ?? Self.standardReasonPhrase(for: statusCode)
        self.headers = headers
        self.body = body
    }

    /// `SIP/2.0 SP Status-Code SP Reason-Phrase`.
    public var statusLine: String { "SIP/2.0 " + String(statusCode) + " " + reasonPhrase }

    public var isProvisional: Bool { (100..<200).contains(statusCode) }
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
    /// 200–699: ends a client transaction.
    public var isFinal: Bool { statusCode >= 200 }
}
