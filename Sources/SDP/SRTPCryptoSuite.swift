/// An SDES crypto-suite name (RFC 4568 §6.2, RFC 6188, RFC 7714). A struct over the name, not an
/// enum, so a suite this module does not know still parses and is simply not chosen.
public struct SRTPCryptoSuite: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let aesCM128HMACSHA1_80 = SRTPCryptoSuite(rawValue: "AES_CM_128_HMAC_SHA1_80")
    public static let aesCM128HMACSHA1_32 = SRTPCryptoSuite(rawValue: "AES_CM_128_HMAC_SHA1_32")
    public static let aes256CMHMACSHA1_80 = SRTPCryptoSuite(rawValue: "AES_256_CM_HMAC_SHA1_80")
    public static let aes256CMHMACSHA1_32 = SRTPCryptoSuite(rawValue: "AES_256_CM_HMAC_SHA1_32")
    public static let aeadAES128GCM = SRTPCryptoSuite(rawValue: "AEAD_AES_128_GCM")
    public static let aeadAES256GCM = SRTPCryptoSuite(rawValue: "AEAD_AES_256_GCM")

    /// Master key + master salt octets for the suites whose sizes are known; nil otherwise.
    public var keyAndSaltLength: Int? {
        switch self {
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: 30
        case .aes256CMHMACSHA1_80, .aes256CMHMACSHA1_32: 46
        case .aeadAES128GCM: 28
        case .aeadAES256GCM: 44
        default: nil
        }
    }

    public var description: String { rawValue }
}
