import SRTP

/// SDES keys (RFC 4568) for what the pipeline sends: a master key and salt per media stream, one suite.
/// With keys set, RTP goes out as SRTP and RTCP as SRTCP, and the SDP says `RTP/SAVP` with `a=crypto`.
public struct SRTPKeys: Sendable, Equatable, CustomStringConvertible {
    public var suite: SRTPSuite
    /// 30 bytes each: the 16-byte master key, then the 14-byte master salt.
    public var video: [UInt8]
    public var audio: [UInt8]

    public init(suite: SRTPSuite = .aesCM128HMACSHA1_80, video: [UInt8], audio: [UInt8]) {
        self.suite = suite
        self.video = video
        self.audio = audio
    }

    /// Fresh keys from the system's cryptographic generator.
    public static func random(suite: SRTPSuite = .aesCM128HMACSHA1_80) -> SRTPKeys {
        SRTPKeys(suite: suite, video: SRTPSuite.randomKeyAndSalt(), audio: SRTPSuite.randomKeyAndSalt())
    }

    /// Keys never reach a log line.
    public var description: String { "SRTP \(suite.name) (keys not shown)" }

    /// The `a=crypto` line for one stream's key (RFC 4568 section 9.1: tag 1, the suite, `inline:`
    /// base64 of key||salt, no lifetime or MKI, which ffmpeg's parser would not take).
    static func cryptoAttribute(suite: SRTPSuite, keyAndSalt: [UInt8]) -> String {
        "a=crypto:1 \(suite.name) inline:\(Base64.encode(keyAndSalt))"
    }
}

/// Base64 (RFC 4648 section 4, with padding) for SDES keys; Media has no Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(group >> 18 & 63)])
            out.append(alphabet[Int(group >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of padded base64 text, or nil if it is not that.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            var group: UInt32 = 0
            var padding = 0
            for j in 0..<4 {
                let c = chars[i + j]
                let value: UInt32
                if c == UInt8(ascii: "=") {
                    // Padding only in the last group's last two places.
                    guard i + 4 == chars.count, j >= 2 else { return nil }
                    padding += 1
                    value = 0
                } else {
                    guard padding == 0, let index = alphabet.firstIndex(of: c) else { return nil }
                    value = UInt32(index)
                }
                group = group << 6 | value
            }
            out.append(UInt8(group >> 16))
            if padding < 2 { out.append(UInt8(group >> 8 & 0xff)) }
            if padding < 1 { out.append(UInt8(group & 0xff)) }
            i += 4
        }
        return out
    }
}

/// Sends one media stream's RTP and RTCP, protected as SRTP and SRTCP when the stream has a key. Used
/// by the stream's own thread only (the SRTP session is not thread-safe). A packet that cannot be
/// protected is dropped, never sent in the clear; each distinct failure is logged once.
final class StreamSender {
    let rtpSocket: UDPSocket
    let rtcpSocket: UDPSocket
    private let session: SRTPSession?
    private let onError: (String) -> Void
    private var lastError: SRTPError?
    private(set) var dropped = 0

    init(rtp: UDPSocket, rtcp: UDPSocket, suite: SRTPSuite?, keyAndSalt: [UInt8]?,
         onError: @escaping (String) -> Void) throws(SRTPError) {
        rtpSocket = rtp
        rtcpSocket = rtcp
        if let suite, let keyAndSalt {
            // Repeats allowed: a NACKed packet goes out again as it was (same sequence number).
            session = try SRTPSession(suite: suite, keyAndSalt: keyAndSalt, direction: .outbound, allowRepeatTransmission: true)
        } else {
            session = nil
        }
        self.onError = onError
    }

    var isSecure: Bool { session != nil }

    /// The bytes that go on the wire for an RTP packet: SRTP when keyed; nil when it cannot be protected.
    func wire(rtp packet: [UInt8]) -> [UInt8]? {
        guard let session else { return packet }
        do {
            return try session.protect(rtp: packet)
        } catch {
            failed(error)
            return nil
        }
    }

    /// Sends bytes `wire(rtp:)` made.
    func send(wire: [UInt8]) { rtpSocket.send(wire) }

    func sendRTCP(_ packet: [UInt8]) {
        guard let session else { return rtcpSocket.send(packet) }
        do {
            rtcpSocket.send(try session.protectRTCP(packet))
        } catch {
            failed(error)
        }
    }

    private func failed(_ error: SRTPError) {
        dropped += 1
        if error != lastError {
            lastError = error
            onError("\(error); packet dropped")
        }
    }
}
