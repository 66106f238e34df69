/// An SDES crypto suite (RFC 4568 section 6.2): AES-128 in counter mode with an HMAC-SHA1 tag of 80 or
/// 32 bits on SRTP. SRTCP carries the 80-bit tag with either suite (RFC 4568 section 6.2.2).
public enum SRTPSuite: String, Sendable, CaseIterable, CustomStringConvertible {
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// The master key (16 bytes) and salt (14 bytes) as SDES carries them, `inline:base64(key||salt)`.
    public static let keyLength = 16
    public static let saltLength = 14
    public static let keyAndSaltLength = keyLength + saltLength

    /// The suite's name in an `a=crypto` line.
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// Bytes of authentication tag appended to each SRTP packet.
    public var rtpTagLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80: 10
        case .aesCM128HMACSHA1_32: 4
        }
    }

    /// Bytes appended to each SRTCP packet: the E flag with the 31-bit SRTCP index, then the 80-bit tag.
    public var rtcpTrailerLength: Int { 4 + 10 }

    /// The suite named in an `a=crypto` line, or nil for one this module does not do.
    public init?(name: some StringProtocol) {
        guard let suite = SRTPSuite(rawValue: String(name)) else { return nil }
        self = suite
    }

    /// A fresh master key and salt from the system's cryptographic generator (getrandom on Linux).
    public static func randomKeyAndSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<keyAndSaltLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    var cValue: Int32 {
        switch self {
        case .aesCM128HMACSHA1_80: 1  // KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_80
        case .aesCM128HMACSHA1_32: 2  // KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_32
        }
    }
}

/// Which way a session's packets go: outbound sessions protect with the local key, inbound sessions
/// unprotect with the remote key. libsrtp2 keeps the two apart on purpose (a wildcard stream matches
/// only one direction), so a call has one session per direction per media stream.
public enum SRTPDirection: Sendable, Equatable {
    case outbound
    case inbound
}
