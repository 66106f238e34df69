/// An `a=crypto` attribute (RFC 4568 §9.1): SDES keys for SRTP carried in the (TLS-protected) SDP.
public struct SDESCrypto: Sendable, Hashable {
    /// Pairs an answer's crypto line with the offered one (RFC 4568 §5.1.2).
    public var tag: UInt32
    public var suite: SRTPCryptoSuite
    /// At least one; SRTP endpoints here use the first.
    public var keyParameters: [SDESKeyParameter]
    /// Session parameters such as `UNENCRYPTED_SRTCP` or `KDR=1`, kept as text.
    public var sessionParameters: [String]

    public init(tag: UInt32, suite: SRTPCryptoSuite, keyParameters: [SDESKeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keyParameters = keyParameters
        self.sessionParameters = sessionParameters
    }

    /// A crypto attribute carrying `keyAndSalt`, which the caller draws from a secure random source
    /// (kept out of this I/O-free core so tests are deterministic).
    public static func make(
        tag: UInt32, suite: SRTPCryptoSuite = .aesCM128HMACSHA1_80, keyAndSalt: [UInt8]
    ) throws(SDESError) -> SDESCrypto {
        let expected = suite.keyAndSaltLength ?? keyAndSalt.count
        guard keyAndSalt.count == expected, !keyAndSalt.isEmpty else {
            throw .wrongKeyLength(expected: expected, actual: keyAndSalt.count)
        }
        return SDESCrypto(tag: tag, suite: suite, keyParameters: [SDESKeyParameter(keyAndSalt: keyAndSalt)])
    }

    /// The first key's master key + salt.
    public var keyAndSalt: [UInt8] { keyParameters.first?.keyAndSalt ?? [] }

    public var attributeValue: String {
        var out = "\(tag) \(suite.rawValue) " + keyParameters.map(\.text).joined(separator: ";")
        for parameter in sessionParameters { out += " " + parameter }
        return out
    }

    public var attribute: SDPAttribute { SDPAttribute("crypto", attributeValue) }

    public init(attributeValue value: String) throws(SDESError) {
        let fields = SDPText.fields(value)
        guard fields.count >= 3, fields[0].utf8.count <= 9, let tag = SDPText.decimal(fields[0], as: UInt32.self)
        else { throw .malformed }
        let suite = SRTPCryptoSuite(rawValue: String(fields[1]))
        var keys: [SDESKeyParameter] = []
        for part in SDPText.components(fields[2], separatedBy: SDPText.semicolon) {
            let key = try SDESKeyParameter(parsing: part)
            if let length = suite.keyAndSaltLength, key.keyAndSalt.count != length { throw .badKey }
            guard !key.keyAndSalt.isEmpty else { throw .badKey }
            keys.append(key)
        }
        self.init(tag: tag, suite: suite, keyParameters: keys, sessionParameters: fields.dropFirst(3).map(String.init))
    }
}
