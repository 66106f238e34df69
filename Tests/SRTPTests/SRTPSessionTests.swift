import SRTP
import Testing

/// libsrtp's own known answer (srtp_driver.c, `srtp_validate`): master key and salt, an RTP packet
/// (SSRC 0xcafebabe, sequence 0x1234, 16 bytes of 0xab) and an RTCP sender report, and what the default
/// policy (AES_CM_128_HMAC_SHA1_80) makes of them.
enum KnownAnswer {
    static let keyAndSalt: [UInt8] = [
        0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
        0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
    ]
    static let rtp: [UInt8] = [0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe]
        + [UInt8](repeating: 0xab, count: 16)
    static let srtp: [UInt8] = [
        0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c,
        0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc,
        0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb,
    ]
    static let rtcp: [UInt8] = [0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe] + [UInt8](repeating: 0xab, count: 16)
    static let srtcp: [UInt8] = [
        0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28, 0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd,
        0xbe, 0xf8, 0x90, 0x41, 0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00, 0x00, 0x01, 0x99, 0x3e, 0x08, 0xcd,
        0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98,
    ]
}

/// An RTP packet: version 2, payload type 96, the given sequence number and SSRC, a patterned payload.
func rtpPacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payloadLength: Int = 200) -> [UInt8] {
    var p: [UInt8] = [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xff), 0, 0, 0x0b, 0xb8]
    p += [UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xff), UInt8((ssrc >> 8) & 0xff), UInt8(ssrc & 0xff)]
    p += (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequence)) }
    return p
}

/// An RTCP sender report (no report blocks) from the SSRC, 28 bytes.
func senderReport(ssrc: UInt32 = 0x1234_5678, packets: UInt32 = 10) -> [UInt8] {
    var p: [UInt8] = [0x80, 200, 0x00, 0x06]
    for word in [ssrc, 0xe000_0000, 0x1234_5678, 90_000, packets, packets * 1000] {
        p += [UInt8(word >> 24), UInt8((word >> 16) & 0xff), UInt8((word >> 8) & 0xff), UInt8(word & 0xff)]
    }
    return p
}

struct SRTPSessionTests {
    let key = SRTPSuite.randomKeyAndSalt()

    @Test func knownAnswerFromLibsrtp() throws {
        let sender = try SRTPSession(keyAndSalt: KnownAnswer.keyAndSalt, direction: .outbound)
        #expect(try sender.protect(rtp: KnownAnswer.rtp) == KnownAnswer.srtp)
        #expect(try sender.protectRTCP(KnownAnswer.rtcp) == KnownAnswer.srtcp)

        let receiver = try SRTPSession(keyAndSalt: KnownAnswer.keyAndSalt, direction: .inbound)
        #expect(try receiver.unprotect(srtp: KnownAnswer.srtp) == KnownAnswer.rtp)
        #expect(try receiver.unprotectRTCP(srtcp: KnownAnswer.srtcp) == KnownAnswer.rtcp)
    }

    @Test func knownAnswerWith32BitTag() throws {
        // The same keystream and HMAC, the tag cut to 4 bytes; SRTCP keeps its 80-bit tag (RFC 4568 6.2.2).
        let sender = try SRTPSession(suite: .aesCM128HMACSHA1_32, keyAndSalt: KnownAnswer.keyAndSalt, direction: .outbound)
        #expect(try sender.protect(rtp: KnownAnswer.rtp) == Array(KnownAnswer.srtp.prefix(32)))
        #expect(try sender.protectRTCP(KnownAnswer.rtcp) == KnownAnswer.srtcp)
        let receiver = try SRTPSession(suite: .aesCM128HMACSHA1_32, keyAndSalt: KnownAnswer.keyAndSalt, direction: .inbound)
        #expect(try receiver.unprotect(srtp: Array(KnownAnswer.srtp.prefix(32))) == KnownAnswer.rtp)
        // The 80-bit packet read with the 32-bit suite: its last 4 bytes are not the tag. (A fresh receiver:
        // libsrtp2 checks the replay window before the tag, and index 0x1234 was just seen.)
        let other = try SRTPSession(suite: .aesCM128HMACSHA1_32, keyAndSalt: KnownAnswer.keyAndSalt, direction: .inbound)
        #expect(throws: SRTPError.authenticationFailed) { try other.unprotect(srtp: KnownAnswer.srtp) }
    }

    @Test(arguments: SRTPSuite.allCases)
    func roundTripGivesTheOriginalBytes(suite: SRTPSuite) throws {
        let sender = try SRTPSession(suite: suite, keyAndSalt: key, direction: .outbound)
        let receiver = try SRTPSession(suite: suite, keyAndSalt: key, direction: .inbound)
        for sequence in [UInt16(65_530)] + (65_531...65_535).map(UInt16.init) + (0..<20).map(UInt16.init) {
            let plain = rtpPacket(sequence: sequence)
            let protected = try sender.protect(rtp: plain)
            #expect(protected.count == plain.count + suite.rtpTagLength)
            #expect(protected.prefix(12) == plain.prefix(12))       // the header stays readable
            #expect(protected[12..<plain.count] != plain[12...])  // the payload does not
            #expect(try receiver.unprotect(srtp: protected) == plain)
        }
        for n in 1...5 {
            let plain = senderReport(packets: UInt32(n))
            let protected = try sender.protectRTCP(plain)
            #expect(protected.count == plain.count + suite.rtcpTrailerLength)
            #expect(protected.prefix(8) == plain.prefix(8))
            // E flag set, SRTCP index counting from 1
            #expect(Array(protected[plain.count..<(plain.count + 4)]) == [0x80, 0, 0, UInt8(n)])
            #expect(try receiver.unprotectRTCP(srtcp: protected) == plain)
        }
    }

    @Test func manySSRCsShareTheKeyInEachDirection() throws {
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        let receiver = try SRTPSession(keyAndSalt: key, direction: .inbound)
        for ssrc: UInt32 in [1, 0xdead_beef, 42] {
            let plain = rtpPacket(sequence: 100, ssrc: ssrc)
            #expect(try receiver.unprotect(srtp: try sender.protect(rtp: plain)) == plain)
        }
    }

    @Test func aFlippedBitFailsAuthentication() throws {
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        let receiver = try SRTPSession(keyAndSalt: key, direction: .inbound)
        let protected = try sender.protect(rtp: rtpPacket(sequence: 1))
        for position in [2, 20, protected.count - 1] {  // header, payload, tag
            var altered = protected
            altered[position] ^= 0x01
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotect(srtp: altered) }
        }
        var rtcp = try sender.protectRTCP(senderReport())
        rtcp[10] ^= 0x80
        #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTCP(srtcp: rtcp) }
        // The untouched packet still passes: failures leave no state behind.
        #expect(try receiver.unprotect(srtp: protected) == rtpPacket(sequence: 1))
    }

    @Test func theSamePacketTwiceIsAReplay() throws {
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        let receiver = try SRTPSession(keyAndSalt: key, direction: .inbound)
        let first = try sender.protect(rtp: rtpPacket(sequence: 500))
        _ = try receiver.unprotect(srtp: first)
        #expect(throws: SRTPError.replayed) { try receiver.unprotect(srtp: first) }
        let rtcp = try sender.protectRTCP(senderReport())
        _ = try receiver.unprotectRTCP(srtcp: rtcp)
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTCP(srtcp: rtcp) }

        // Out of order within the window is fine; far behind it is too old.
        let later = try (501...700).map { try sender.protect(rtp: rtpPacket(sequence: UInt16($0))) }
        _ = try receiver.unprotect(srtp: later[199])
        #expect(try receiver.unprotect(srtp: later[150]) == rtpPacket(sequence: 651))
        #expect(throws: SRTPError.tooOld) { try receiver.unprotect(srtp: later[0]) }
    }

    @Test func anOutboundSessionRefusesToReuseAnIndexUnlessAllowed() throws {
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        _ = try sender.protect(rtp: rtpPacket(sequence: 9))
        #expect(throws: SRTPError.replayed) { try sender.protect(rtp: rtpPacket(sequence: 9)) }
        let resender = try SRTPSession(keyAndSalt: key, direction: .outbound, allowRepeatTransmission: true)
        let once = try resender.protect(rtp: rtpPacket(sequence: 9))
        #expect(try resender.protect(rtp: rtpPacket(sequence: 9)) == once)
    }

    @Test func aWrongKeyFails() throws {
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        var other = key
        other[0] ^= 0xff
        let wrongKey = try SRTPSession(keyAndSalt: other, direction: .inbound)
        var otherSalt = key
        otherSalt[29] ^= 0x01
        let wrongSalt = try SRTPSession(keyAndSalt: otherSalt, direction: .inbound)
        let wrongSuite = try SRTPSession(suite: .aesCM128HMACSHA1_32, keyAndSalt: key, direction: .inbound)
        let rtp = try sender.protect(rtp: rtpPacket(sequence: 3))
        let rtcp = try sender.protectRTCP(senderReport())
        for receiver in [wrongKey, wrongSalt, wrongSuite] {
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotect(srtp: rtp) }
        }
        for receiver in [wrongKey, wrongSalt] {
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTCP(srtcp: rtcp) }
        }
    }

    @Test func badInputsAreRefusedWithAReason() throws {
        #expect(throws: SRTPError.badKeyLength(16)) { try SRTPSession(keyAndSalt: [UInt8](repeating: 1, count: 16), direction: .outbound) }
        #expect(throws: SRTPError.badKeyLength(46)) { try SRTPSession(keyAndSalt: [UInt8](repeating: 1, count: 46), direction: .inbound) }
        #expect(throws: SRTPError.badReplayWindow(10)) { try SRTPSession(keyAndSalt: key, direction: .inbound, replayWindow: 10) }
        let sender = try SRTPSession(keyAndSalt: key, direction: .outbound)
        let receiver = try SRTPSession(keyAndSalt: key, direction: .inbound)
        #expect(throws: SRTPError.packetTooShort(11)) { try sender.protect(rtp: [UInt8](repeating: 0x80, count: 11)) }
        #expect(throws: SRTPError.packetTooShort(4)) { try sender.protectRTCP([0x80, 200, 0, 0]) }
        #expect(throws: SRTPError.packetTooShort(21)) { try receiver.unprotect(srtp: [UInt8](repeating: 0x80, count: 21)) }
        #expect(throws: SRTPError.packetTooShort(21)) { try receiver.unprotectRTCP(srtcp: [UInt8](repeating: 0x80, count: 21)) }
        #expect(throws: SRTPError.packetTooLong(70_000)) { try sender.protect(rtp: rtpPacket(sequence: 1, payloadLength: 70_000 - 12)) }
        // A header that claims more CSRCs than the packet holds: libsrtp2's own check, by its name.
        var bad = rtpPacket(sequence: 2, payloadLength: 0)
        bad[0] = 0x8f
        #expect(throws: SRTPError.self) { try sender.protect(rtp: bad) }
        #expect(SRTPError.libsrtp(code: 2).description == "libsrtp: srtp_err_status_bad_param (2)")
        #expect(SRTPError.authenticationFailed.description.contains("authentication failed"))
    }

    @Test func randomKeysAreFreshAndTheRightLength() {
        let a = SRTPSuite.randomKeyAndSalt(), b = SRTPSuite.randomKeyAndSalt()
        #expect(a.count == 30 && b.count == 30 && a != b)
        #expect(SRTPSuite(name: "AES_CM_128_HMAC_SHA1_80") == .aesCM128HMACSHA1_80)
        #expect(SRTPSuite(name: "AES_CM_128_HMAC_SHA1_32") == .aesCM128HMACSHA1_32)
        #expect(SRTPSuite(name: "AEAD_AES_128_GCM") == nil)
    }

    @Test func sessionsOnManyThreadsAtOnce() async throws {
        // One session per task (sessions are not shared); libsrtp2 was initialised once for all.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    let key = SRTPSuite.randomKeyAndSalt()
                    let tx = try SRTPSession(keyAndSalt: key, direction: .outbound)
                    let rx = try SRTPSession(keyAndSalt: key, direction: .inbound)
                    for s in 0..<500 {
                        let p = rtpPacket(sequence: UInt16(s), ssrc: UInt32(t))
                        guard try rx.unprotect(srtp: try tx.protect(rtp: p)) == p else { return false }
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
