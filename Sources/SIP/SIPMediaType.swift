/// A Content-Type value (RFC 3261 §20.15): `type/subtype *(;param)`, e.g. application/sdp or
/// multipart/mixed;boundary=... Type and subtype compare case-insensitively.
public struct SIPMediaType: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var subtype: String
    public var parameters: SIPParameters

    public init(type: String, subtype: String, parameters: SIPParameters = []) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    public static let sdp = SIPMediaType(type: "application", subtype: "sdp")

    public init(parsing text: some StringProtocol) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        guard let type = scanner.scanToken() else { throw .invalidHeader(reason: "Bad Content-Type") }
        scanner.skipWhitespace()
        guard scanner.consume(SIPCharacter.slash) else { throw .invalidHeader(reason: "Bad Content-Type") }
        scanner.skipWhitespace()
        guard let subtype = scanner.scanToken() else { throw .invalidHeader(reason: "Bad Content-Type") }
        let parameters = try SIPParameters.scan(&scanner)
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw .invalidHeader(reason: "Bad Content-Type") }
        self.init(type: scanner.string(type), subtype: scanner.string(subtype), parameters: parameters)
    }

    /// Case-insensitive match on type and subtype, parameters ignored.
    public func matches(_ other: SIPMediaType) -> Bool {
        SIPParameters.namesMatch(type, other.type) && SIPParameters.namesMatch(subtype, other.subtype)
    }

    public var description: String { type + "/" + subtype + parameters.description }
}
