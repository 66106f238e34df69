import Testing
@testable import RTP

@Suite struct RTPPacketTests {
    /// Every header feature at once, with the wire bytes written out by hand from RFC 3550 §5.1.
    let packet = RTPPacket(
        marker: true,
        payloadType: 96,
        sequenceNumber: 0x1234,
        timestamp: 0xDEAD_BEEF,
        ssrc: 0x0102_0304,
        csrcs: [0xAABB_CCDD, 0x1122_3344],
        headerExtension: RTPHeaderExtension(profile: 0xBEDE, data: [0x10, 0xFF, 0x00, 0x00]),
        payload: [1, 2, 3],
        paddingCount: 4
    )
    let wire: [UInt8] = [
        0xB2, 0xE0, 0x12, 0x34, // V=2 P X CC=2 | M PT=96 | seq
        0xDE, 0xAD, 0xBE, 0xEF, // timestamp
        0x01, 0x02, 0x03, 0x04, // SSRC
        0xAA, 0xBB, 0xCC, 0xDD, 0x11, 0x22, 0x33, 0x44, // CSRCs
        0xBE, 0xDE, 0x00, 0x01, 0x10, 0xFF, 0x00, 0x00, // extension: profile, 1 word, data
        0x01, 0x02, 0x03, // payload
        0x00, 0x00, 0x00, 0x04, // padding, count last
    ]

    @Test func serializesToTheSpecifiedLayout() {
        #expect(packet.serialized() == wire)
        #expect(packet.headerSize == 28)
        #expect(packet.padding)
        #expect(packet.hasExtension)
    }

    @Test func roundTripsWithCSRCsExtensionAndPadding() throws {
        let parsed = try RTPPacket(parsing: wire)
        #expect(parsed == packet)
        #expect(parsed.csrcs == [0xAABB_CCDD, 0x1122_3344])
        #expect(parsed.headerExtension?.profile == 0xBEDE)
        #expect(parsed.payload == [1, 2, 3])
        #expect(parsed.paddingCount == 4)
        #expect(parsed.serialized() == wire)
    }

    @Test func minimalPacketRoundTrips() throws {
        let minimal = RTPPacket(payloadType: 111, sequenceNumber: 65535, timestamp: 0, ssrc: 0xFFFF_FFFF, payload: [])
        let bytes = minimal.serialized()
        #expect(bytes == [0x80, 111, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try RTPPacket(parsing: bytes) == minimal)
    }

    @Test func extensionDataIsPaddedToWholeWords() throws {
        let ext = RTPHeaderExtension(profile: 0x1000, data: [1, 2, 3, 4, 5])
        #expect(ext.data == [1, 2, 3, 4, 5, 0, 0, 0])
        let withExt = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, headerExtension: ext, payload: [9])
        let bytes = withExt.serialized()
        #expect(Array(bytes[12..<16]) == [0x10, 0x00, 0x00, 0x02])
        #expect(try RTPPacket(parsing: bytes) == withExt)
    }

    @Test func payloadTypeIsMaskedToSevenBits() {
        let odd = RTPPacket(payloadType: 0xFF, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: [])
        #expect(odd.serialized()[1] == 0x7F)
    }

    @Test func rejectsShortBuffers() {
        #expect(throws: RTPParseError.truncated(needed: 12, available: 11)) {
            try RTPPacket(parsing: Array(wire.prefix(11)))
        }
        #expect(throws: RTPParseError.truncated(needed: 12, available: 0)) { try RTPPacket(parsing: []) }
    }

    @Test func rejectsOtherVersions() {
        var bytes = wire
        bytes[0] = (bytes[0] & 0x3F) | 0x40
        #expect(throws: RTPParseError.badVersion(1)) { try RTPPacket(parsing: bytes) }
        bytes[0] &= 0x3F
        #expect(throws: RTPParseError.badVersion(0)) { try RTPPacket(parsing: bytes) }
    }

    @Test func rejectsCSRCCountBeyondBuffer() {
        // CC = 15 needs 12 + 60 octets; only 16 are there.
        let bytes: [UInt8] = [0x8F, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4]
        #expect(throws: RTPParseError.truncated(needed: 72, available: 16)) { try RTPPacket(parsing: bytes) }
    }

    @Test func rejectsExtensionLengthBeyondBuffer() {
        // X set, extension claims 3 words but only one is present.
        let bytes: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xBE, 0xDE, 0x00, 0x03, 1, 2, 3, 4]
        #expect(throws: RTPParseError.truncated(needed: 28, available: 20)) { try RTPPacket(parsing: bytes) }
        // X set but not even the extension header fits.
        let shortHeader: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xBE, 0xDE]
        #expect(throws: RTPParseError.truncated(needed: 16, available: 14)) { try RTPPacket(parsing: shortHeader) }
    }

    @Test func rejectsZeroPaddingCount() {
        let bytes: [UInt8] = [0xA0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 7, 7, 0]
        #expect(throws: RTPParseError.badPadding) { try RTPPacket(parsing: bytes) }
    }

    @Test func rejectsPaddingLargerThanPayload() throws {
        // Three octets after the header, but the count says four.
        let bytes: [UInt8] = [0xA0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 7, 7, 4]
        #expect(throws: RTPParseError.badPadding) { try RTPPacket(parsing: bytes) }
        // Exactly the payload area is padding: legal, empty payload.
        let allPadding: [UInt8] = [0xA0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 3]
        #expect(try RTPPacket(parsing: allPadding).payload == [])
    }

    @Test func everyPrefixShorterThanTheHeaderThrows() {
        // RTP has no length field: only prefixes that cut into the 28-octet header are malformed.
        for length in 0..<packet.headerSize {
            #expect(throws: RTPParseError.self) { try RTPPacket(parsing: Array(wire.prefix(length))) }
        }
    }

    @Test func moreThanFifteenCSRCsAreCapped() throws {
        let many = RTPPacket(payloadType: 96, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: Array(0..<20), payload: [1])
        let parsed = try RTPPacket(parsing: many.serialized())
        #expect(parsed.csrcs == Array(0..<15))
        #expect(parsed.payload == [1])
    }

    @Test func classifiesMuxedTraffic() {
        let sr = RTCPSenderReport(ssrc: 1, ntpTimestamp: NTPTimestamp(rawValue: 0), rtpTimestamp: 0, packetCount: 0, octetCount: 0)
        #expect(RTPMuxedPacketKind(classifying: sr.serialized()) == .rtcp)
        #expect(RTPMuxedPacketKind(classifying: wire) == .rtp) // marker + PT 96 = 224, just above the RTCP range
        #expect(RTPMuxedPacketKind(classifying: [0x80, 192, 0, 0]) == .rtcp)
        #expect(RTPMuxedPacketKind(classifying: [0x80, 223, 0, 0]) == .rtcp)
        #expect(RTPMuxedPacketKind(classifying: [0x80, 191, 0, 0]) == .rtp)
        #expect(RTPMuxedPacketKind(classifying: [0x00, 0x01, 0x00, 0x00]) == .other) // STUN binding request
        #expect(RTPMuxedPacketKind(classifying: [0x16, 0xFE, 0xFD, 0x00]) == .other) // DTLS
        #expect(RTPMuxedPacketKind(classifying: [0x80, 200]) == .other)
    }
}
