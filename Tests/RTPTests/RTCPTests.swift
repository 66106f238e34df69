import Testing
@testable import RTP

@Suite struct RTCPTests {
    let blockA = RTCPReportBlock(
        ssrc: 0x1111_1111, fractionLost: 25, cumulativeLost: 1234, extendedHighestSequence: 0x0001_FFF0,
        jitter: 77, lastSR: 0x1234_5678, delaySinceLastSR: 0x0001_8000)
    let blockB = RTCPReportBlock(
        ssrc: 0x2222_2222, fractionLost: 0, cumulativeLost: -5, extendedHighestSequence: 42,
        jitter: 0, lastSR: 0, delaySinceLastSR: 0)

    var senderReport: RTCPSenderReport {
        RTCPSenderReport(
            ssrc: 0xCAFE_BABE, ntpTimestamp: NTPTimestamp(seconds: 3_908_988_800, fraction: 0x4000_0000),
            rtpTimestamp: 0x0BAD_F00D, packetCount: 1000, octetCount: 1_200_000, reportBlocks: [blockA, blockB])
    }

    @Test func senderReportWithTwoBlocksHasTheSpecifiedLayout() {
        let bytes = senderReport.serialized()
        #expect(bytes.count == 4 + 24 + 2 * 24)
        #expect(Array(bytes[0..<4]) == [0x82, 200, 0x00, 18]) // RC=2, length = 19 words - 1
        #expect(Array(bytes[4..<8]) == [0xCA, 0xFE, 0xBA, 0xBE])
        #expect(Array(bytes[8..<16]) == [0xE8, 0xFE, 0x6F, 0x80, 0x40, 0x00, 0x00, 0x00]) // NTP
        #expect(Array(bytes[16..<20]) == [0x0B, 0xAD, 0xF0, 0x0D])
        #expect(Array(bytes[20..<24]) == [0x00, 0x00, 0x03, 0xE8])
        #expect(Array(bytes[24..<28]) == [0x00, 0x12, 0x4F, 0x80])
        // Block A: SSRC, then fraction lost 25 and cumulative lost 1234 in 24 bits.
        #expect(Array(bytes[28..<36]) == [0x11, 0x11, 0x11, 0x11, 25, 0x00, 0x04, 0xD2])
    }

    @Test func senderReportWithTwoBlocksRoundTrips() throws {
        let parsed = try RTCPPacket.parseCompound(senderReport.serialized())
        #expect(parsed == [.senderReport(senderReport)])
        guard case .senderReport(let report) = parsed.first else {
            Issue.record("expected an SR")
            return
        }
        #expect(report.reportBlocks.count == 2)
        #expect(report.reportBlocks[0].delaySinceLastSR == 0x0001_8000)
        #expect(report.reportBlocks[1].cumulativeLost == -5)
    }

    @Test func negativeCumulativeLostIsTwentyFourBitTwosComplement() throws {
        let report = RTCPReceiverReport(ssrc: 9, reportBlocks: [blockB])
        let bytes = report.serialized()
        #expect(Array(bytes[0..<4]) == [0x81, 201, 0x00, 7])
        #expect(Array(bytes[12..<16]) == [0x00, 0xFF, 0xFF, 0xFB])
        #expect(try RTCPPacket.parseCompound(bytes) == [.receiverReport(report)])
    }

    @Test func cumulativeLostIsClampedToTwentyFourBits() throws {
        let blocks = [
            RTCPReportBlock(ssrc: 1, cumulativeLost: -9_000_000),
            RTCPReportBlock(ssrc: 2, cumulativeLost: 9_000_000),
        ]
        let bytes = RTCPReceiverReport(ssrc: 9, reportBlocks: blocks).serialized()
        #expect(Array(bytes[13..<16]) == [0x80, 0x00, 0x00])
        #expect(Array(bytes[37..<40]) == [0x7F, 0xFF, 0xFF])
        guard case .receiverReport(let parsed) = try RTCPPacket.parseCompound(bytes).first else {
            Issue.record("expected an RR")
            return
        }
        #expect(parsed.reportBlocks.map(\.cumulativeLost) == [-8_388_608, 8_388_607])
    }

    var compound: [RTCPPacket] {
        [
            .senderReport(senderReport),
            .sourceDescription(RTCPSourceDescription(ssrc: 0xCAFE_BABE, cname: "kiosk@example")),
            .bye(RTCPBye(ssrcs: [0xCAFE_BABE, 0x0000_0007], reason: "shutdown")),
        ]
    }

    @Test func compoundSenderReportSourceDescriptionByeRoundTrips() throws {
        let bytes = RTCPPacket.serializeCompound(compound)
        // SR 76 + SDES (4 + 4 + 2 + 13 + null, padded to 24) + BYE (4 + 8 + 1 + 8, padded to 24).
        #expect(bytes.count == 76 + 24 + 24)
        #expect(Array(bytes[76..<80]) == [0x81, 202, 0x00, 5])
        #expect(Array(bytes[84..<86]) == [1, 13])
        #expect(Array(bytes[100..<104]) == [0x82, 203, 0x00, 5])
        let parsed = try RTCPPacket.parseCompound(bytes)
        #expect(parsed == compound)
        guard case .sourceDescription(let sdes) = parsed[1], case .bye(let bye) = parsed[2] else {
            Issue.record("expected SDES then BYE")
            return
        }
        #expect(sdes.chunks.first?.cname == "kiosk@example")
        #expect(bye.reasonText == "shutdown")
        #expect(bye.ssrcs == [0xCAFE_BABE, 7])
    }

    @Test func sdesChunksAreAlignedForEveryTextLength() throws {
        for length in 0...9 {
            let text = String(repeating: "x", count: length)
            let sdes = RTCPSourceDescription(chunks: [
                RTCPSourceDescription.Chunk(ssrc: 1, items: [.cname(text), RTCPSourceDescription.Item(type: 6, value: [0x41])]),
                RTCPSourceDescription.Chunk(ssrc: 2, items: [.cname("b")]),
            ])
            let bytes = sdes.serialized()
            #expect(bytes.count % 4 == 0)
            #expect(try RTCPPacket.parseCompound(bytes) == [.sourceDescription(sdes)])
        }
    }

    @Test func unknownPacketTypesArePreservedVerbatim() throws {
        // A PSFB application-layer feedback (FMT 15, e.g. REMB), not modelled here.
        let afb: [UInt8] = [0x8F, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]
        let bytes = senderReport.serialized() + afb
        let parsed = try RTCPPacket.parseCompound(bytes)
        #expect(parsed.count == 2)
        #expect(parsed[1] == .unknown(packetType: 206, bytes: afb))
        #expect(RTCPPacket.serializeCompound(parsed) == bytes)
    }

    @Test func paddedLastPacketIsAccepted() throws {
        // A BYE with no SSRCs padded by 4 octets (P bit set, count 4 in the last octet).
        let bytes: [UInt8] = [0xA1, 203, 0x00, 0x02, 0, 0, 0, 9, 0, 0, 0, 4]
        #expect(try RTCPPacket.parseCompound(bytes) == [.bye(RTCPBye(ssrcs: [9]))])
    }

    @Test func rejectsMalformedPackets() {
        let good = senderReport.serialized()
        #expect(throws: RTCPParseError.truncated(needed: 4, available: 0)) { try RTCPPacket.parseCompound([]) }

        var badVersion = good
        badVersion[0] = 0x42
        #expect(throws: RTCPParseError.badVersion(1)) { try RTCPPacket.parseCompound(badVersion) }

        var tooLong = good
        tooLong[3] = 19 // one word more than is there
        #expect(throws: RTCPParseError.truncated(needed: 80, available: 76)) { try RTCPPacket.parseCompound(tooLong) }

        var tooManyBlocks = good
        tooManyBlocks[0] = 0x83 // RC=3 but room for two
        #expect(throws: RTCPParseError.badReportCount(packetType: 200, count: 3)) {
            try RTCPPacket.parseCompound(tooManyBlocks)
        }

        let shortSR: [UInt8] = [0x80, 200, 0x00, 0x01, 0, 0, 0, 1] // no sender info
        #expect(throws: RTCPParseError.badReportCount(packetType: 200, count: 0)) { try RTCPPacket.parseCompound(shortSR) }

        let zeroPadding: [UInt8] = [0xA0, 201, 0x00, 0x01, 0, 0, 0, 0]
        #expect(throws: RTCPParseError.badPadding) { try RTCPPacket.parseCompound(zeroPadding) }
        let hugePadding: [UInt8] = [0xA0, 201, 0x00, 0x01, 0, 0, 0, 5]
        #expect(throws: RTCPParseError.badPadding) { try RTCPPacket.parseCompound(hugePadding) }

        // SDES item says 200 octets of text in a 12-octet packet.
        let longItem: [UInt8] = [0x81, 202, 0x00, 0x02, 0, 0, 0, 1, 1, 200, 0x41, 0]
        #expect(throws: RTCPParseError.badLength(packetType: 202)) { try RTCPPacket.parseCompound(longItem) }
        // SDES with SC=2 but one chunk.
        let missingChunk: [UInt8] = [0x82, 202, 0x00, 0x02, 0, 0, 0, 1, 1, 1, 0x41, 0]
        #expect(throws: RTCPParseError.badReportCount(packetType: 202, count: 2)) { try RTCPPacket.parseCompound(missingChunk) }
        // BYE with SC=3 in one word of body.
        let byeCount: [UInt8] = [0x83, 203, 0x00, 0x01, 0, 0, 0, 1]
        #expect(throws: RTCPParseError.badReportCount(packetType: 203, count: 3)) { try RTCPPacket.parseCompound(byeCount) }
        // BYE reason longer than the packet.
        let byeReason: [UInt8] = [0x81, 203, 0x00, 0x02, 0, 0, 0, 1, 9, 0x41, 0x42, 0x43]
        #expect(throws: RTCPParseError.badLength(packetType: 203)) { try RTCPPacket.parseCompound(byeReason) }
        // Two octets left over after a valid packet.
        #expect(throws: RTCPParseError.truncated(needed: 4, available: 2)) { try RTCPPacket.parseCompound(good + [0x80, 200]) }
    }

    @Test func everyPrefixOfACompoundPacketThrowsUnlessItEndsOnAPacketBoundary() throws {
        let bytes = RTCPPacket.serializeCompound(compound)
        let boundaries = [76: 1, 100: 2, 124: 3]
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            if let packetCount = boundaries[length] {
                #expect(try RTCPPacket.parseCompound(prefix) == Array(compound.prefix(packetCount)))
            } else {
                #expect(throws: RTCPParseError.self, "prefix of \(length) octets") { try RTCPPacket.parseCompound(prefix) }
            }
        }
    }
}
