import CSRTP

/// One libsrtp2 session (`srtp_t`) for one direction of one media stream: outbound sessions protect RTP
/// and RTCP with the local master key, inbound sessions unprotect with the remote one. Every SSRC in
/// that direction shares the key (libsrtp2's `ssrc_any_outbound` / `ssrc_any_inbound` wildcard), and
/// each SSRC keeps its own packet index and replay window, which libsrtp2 makes on its first packet.
///
/// Thread safety: libsrtp2 sessions are not thread-safe, and a session changes on every packet (indices,
/// replay windows). A session belongs to one thread, or to one isolation domain, at a time; it is
/// deliberately not `Sendable`. The library itself is initialised once per process, on first use.
public final class SRTPSession {
    public let suite: SRTPSuite
    public let direction: SRTPDirection
    private let context: OpaquePointer

    /// `srtp_init()`, run once per process (a static let is initialised once, thread-safely).
    private static let libraryStatus: srtp_err_status_t = srtp_init()

    /// Largest datagram protect or unprotect takes (a UDP payload's limit).
    public static let maximumPacketLength = 65_507

    /// - Parameters:
    ///   - keyAndSalt: the 30-byte master key and salt (SDES `inline:` decoded), copied by libsrtp2.
    ///   - replayWindow: packets the replay check remembers (libsrtp2's default is 128).
    ///   - allowRepeatTransmission: outbound only: lets the same RTP packet go out again with its
    ///     sequence number (a NACK answered by resending the packet itself); it must be the same payload.
    public init(suite: SRTPSuite = .aesCM128HMACSHA1_80, keyAndSalt: [UInt8], direction: SRTPDirection,
                replayWindow: Int = 128, allowRepeatTransmission: Bool = false) throws(SRTPError) {
        guard keyAndSalt.count == SRTPSuite.keyAndSaltLength else { throw .badKeyLength(keyAndSalt.count) }
        guard (64..<0x8000).contains(replayWindow) else { throw .badReplayWindow(replayWindow) }
        let initStatus = SRTPSession.libraryStatus
        guard initStatus == srtp_err_status_ok else { throw SRTPError(status: initStatus) }
        var session: srtp_t?
        let status = keyAndSalt.withUnsafeBufferPointer { key in
            kioskd_srtp_create(&session, suite.cValue, direction == .outbound ? 1 : 0, key.baseAddress,
                               UInt(replayWindow), allowRepeatTransmission ? 1 : 0)
        }
        guard status == srtp_err_status_ok, let session else { throw SRTPError(status: status) }
        self.suite = suite
        self.direction = direction
        self.context = session
    }

    deinit { srtp_dealloc(context) }

    /// SRTP from RTP: the payload encrypted, the authentication tag appended.
    public func protect(rtp packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try process(packet, minimum: 12, room: Int(kioskd_srtp_max_trailer_len())) { srtp_protect($0, $1, $2) }
    }

    /// SRTCP from a (compound) RTCP packet: encrypted after the first 8 bytes, the E flag and SRTCP
    /// index and the tag appended.
    public func protectRTCP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try process(packet, minimum: 8, room: Int(kioskd_srtcp_max_trailer_len())) { srtp_protect_rtcp($0, $1, $2) }
    }

    /// RTP from SRTP, after checking its tag and that it is not a replay.
    public func unprotect(srtp packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try process(packet, minimum: 12 + suite.rtpTagLength, room: 0) { srtp_unprotect($0, $1, $2) }
    }

    /// RTCP from SRTCP, after checking its tag and that it is not a replay.
    public func unprotectRTCP(srtcp packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try process(packet, minimum: 8 + suite.rtcpTrailerLength, room: 0) { srtp_unprotect_rtcp($0, $1, $2) }
    }

    /// Runs one libsrtp2 call in place on a copy of the packet with `room` bytes to grow into.
    private func process(_ packet: [UInt8], minimum: Int, room: Int,
                         _ call: (srtp_t, UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t)
        throws(SRTPError) -> [UInt8] {
        guard packet.count >= minimum else { throw .packetTooShort(packet.count) }
        guard packet.count <= SRTPSession.maximumPacketLength else { throw .packetTooLong(packet.count) }
        var buffer = [UInt8](unsafeUninitializedCapacity: packet.count + room) { out, count in
            packet.withUnsafeBufferPointer { source in
                _ = out.initialize(fromContentsOf: source)
            }
            if room > 0 { (out.baseAddress! + packet.count).initialize(repeating: 0, count: room) }
            count = packet.count + room
        }
        var length = Int32(packet.count)
        let status = buffer.withUnsafeMutableBytes { bytes in call(context, bytes.baseAddress!, &length) }
        guard status == srtp_err_status_ok else { throw SRTPError(status: status) }
        buffer.removeLast(buffer.count - Int(length))
        return buffer
    }
}

@available(*, unavailable, message: "a libsrtp2 session is used by one thread at a time")
extension SRTPSession: Sendable {}
