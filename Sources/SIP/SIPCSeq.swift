/// The CSeq header (RFC 3261 §20.16): a sequence number and the request's method.
public struct SIPCSeq: Sendable, Hashable, CustomStringConvertible {
    /// RFC 3261 §8.1.1.5: a 32-bit unsigned integer (below 2^31 when chosen by a UAC).
    public var sequenceNumber: UInt32
    public var method: SIPMethod

    public init(sequenceNumber: UInt32, method: SIPMethod) {
        self.sequenceNumber = sequenceNumber
        self.method = method
    }

    /// `1*DIGIT LWS Method`, with leading zeros and folded white space allowed; numbers past
    /// 2^32−1 are rejected (RFC 4475 §3.1.2.4, §3.1.2.5).
    public init(parsing text: some StringProtocol) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        guard let digits = scanner.scan(while: SIPCharacter.isDigit) else { throw .invalidHeader(reason: "Bad CSeq") }
        guard let number = SIPScanner.decimal(scanner.bytes, digits, as: UInt32.self) else {
            throw .invalidHeader(reason: "CSeq Out Of Range")
        }
        let beforeMethod = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > beforeMethod, let method = scanner.scanToken() else {
            throw .invalidHeader(reason: "Bad CSeq")
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw .invalidHeader(reason: "Bad CSeq") }
        self.init(sequenceNumber: number, method: SIPMethod(scanner.string(method)))
    }

    public var description: String { String(sequenceNumber) + " " + method.rawValue }
}
