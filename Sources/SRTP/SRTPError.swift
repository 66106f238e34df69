import CSRTP

/// What went wrong protecting or unprotecting a packet, or setting up a session.
public enum SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The master key and salt are not 30 bytes (16-byte key, 14-byte salt).
    case badKeyLength(Int)
    /// The replay window is outside what libsrtp2 takes (64 ..< 32768 packets).
    case badReplayWindow(Int)
    /// Fewer bytes than a header (and, to unprotect, its trailer) needs.
    case packetTooShort(Int)
    /// More bytes than a UDP datagram can carry.
    case packetTooLong(Int)
    /// The authentication tag does not match: a wrong key, or bytes changed on the way.
    case authenticationFailed
    /// The packet's index was seen before (a replay or a duplicate).
    case replayed
    /// The packet's index is older than the replay window reaches back.
    case tooOld
    /// Any other libsrtp2 status (`srtp_err_status_t`).
    case libsrtp(code: Int)

    init(status: srtp_err_status_t) {
        switch status {
        case srtp_err_status_auth_fail: self = .authenticationFailed
        case srtp_err_status_replay_fail: self = .replayed
        case srtp_err_status_replay_old: self = .tooOld
        default: self = .libsrtp(code: Int(status.rawValue))
        }
    }

    public var description: String {
        switch self {
        case let .badKeyLength(n): "SRTP master key and salt must be \(SRTPSuite.keyAndSaltLength) bytes, not \(n)"
        case let .badReplayWindow(n): "SRTP replay window must be 64...32767 packets, not \(n)"
        case let .packetTooShort(n): "SRTP: a packet of \(n) bytes is too short"
        case let .packetTooLong(n): "SRTP: a packet of \(n) bytes is too long"
        case .authenticationFailed: "SRTP authentication failed (wrong key or altered packet)"
        case .replayed: "SRTP replay: the packet's index was already seen"
        case .tooOld: "SRTP replay: the packet's index is older than the replay window"
        case let .libsrtp(code): "libsrtp: \(SRTPError.statusName(code)) (\(code))"
        }
    }

    /// The name of a libsrtp2 status code, as srtp.h spells it.
    public static func statusName(_ code: Int) -> String {
        let names = [
            "srtp_err_status_ok", "srtp_err_status_fail", "srtp_err_status_bad_param", "srtp_err_status_alloc_fail",
            "srtp_err_status_dealloc_fail", "srtp_err_status_init_fail", "srtp_err_status_terminus",
            "srtp_err_status_auth_fail", "srtp_err_status_cipher_fail", "srtp_err_status_replay_fail",
            "srtp_err_status_replay_old", "srtp_err_status_algo_fail", "srtp_err_status_no_such_op",
            "srtp_err_status_no_ctx", "srtp_err_status_cant_check", "srtp_err_status_key_expired",
            "srtp_err_status_socket_err", "srtp_err_status_signal_err", "srtp_err_status_nonce_bad",
            "srtp_err_status_read_fail", "srtp_err_status_write_fail", "srtp_err_status_parse_err",
            "srtp_err_status_encode_err", "srtp_err_status_semaphore_err", "srtp_err_status_pfkey_err",
            "srtp_err_status_bad_mki", "srtp_err_status_pkt_idx_old", "srtp_err_status_pkt_idx_adv",
        ]
        return names.indices.contains(code) ? names[code] : "srtp_err_status \(code)"
    }
}
