/// Why an answer (or an offer the kiosk answers) cannot give a usable call. The call engine maps
/// these to a BYE/CANCEL after a bad answer, or to 488 Not Acceptable Here for an offer.
public enum NegotiationError: Error, Sendable, Hashable {
    /// The answer has a different number of m-lines than the offer (RFC 3264 §6).
    case mediaCountMismatch(offered: Int, answered: Int)
    /// The m-line at `index` changed its media type.
    case mediaTypeMismatch(index: Int)
    /// No payload type in the answer (or offer) is a codec the kiosk offered and allows.
    case noCommonCodec(index: Int)
    /// SRTP is required but the line is RTP/AVP(F) or carries no usable crypto.
    case srtpRequired(index: Int)
    /// The crypto attribute cannot be used.
    case badCrypto(index: Int, reason: CryptoProblem)
    /// Neither the m-line nor the session has a `c=` line.
    case missingConnection(index: Int)
    /// A transport the kiosk does not speak (e.g. DTLS-SRTP's `UDP/TLS/RTP/SAVPF`).
    case unsupportedTransport(index: Int, String)
    /// The audio stream was rejected (port 0) or absent; a kiosk call without audio is no call.
    case audioRejected

    public enum CryptoProblem: Sendable, Hashable {
        /// An `a=crypto` line that does not parse (bad base64, wrong key length, ...).
        case malformed
        /// The answer's tag matches none the kiosk offered.
        case unknownTag(UInt32)
        /// The answer's suite differs from the one offered under that tag, or is not allowed.
        case suiteMismatch(SRTPCryptoSuite)
        /// A secure profile (RTP/SAVP(F)) with no crypto line.
        case missing
        /// The kiosk has no key of the right length for the suite.
        case noLocalKey
    }
}

extension NegotiationError: CustomStringConvertible {
    /// In words for the log; m-lines are counted from 1, as a technician reading the SDP counts them.
    public var description: String {
        switch self {
        case let .mediaCountMismatch(offered, answered): "the answer has \(answered) m-lines for the offer's \(offered)"
        case let .mediaTypeMismatch(index): "m-line \(index + 1) changed its media type"
        case let .noCommonCodec(index): "no codec in common on m-line \(index + 1)"
        case let .srtpRequired(index): "m-line \(index + 1) is not SRTP, which is required"
        case let .badCrypto(index, reason): "m-line \(index + 1): \(reason)"
        case let .missingConnection(index): "m-line \(index + 1) has no connection address (c=)"
        case let .unsupportedTransport(index, transport): "m-line \(index + 1): transport \(transport) is not supported"
        case .audioRejected: "the audio stream is rejected or missing"
        }
    }
}

extension NegotiationError.CryptoProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed: "the a=crypto line is malformed"
        case let .unknownTag(tag): "a=crypto tag \(tag) was not offered"
        case let .suiteMismatch(suite): "the crypto suite \(suite) is not the one offered"
        case .missing: "SRTP without an a=crypto line"
        case .noLocalKey: "no local key for the crypto suite"
        }
    }
}
