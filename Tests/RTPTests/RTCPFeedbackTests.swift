import Testing
@testable import RTP

/// Generic NACK, PLI and FIR (RFC 4585 §6.1, §6.2.1, §6.3.1; RFC 5104 §4.3.1) against layouts
/// built by hand from the RFCs' figures.
@Suite struct RTCPFeedbackTests {
    @Test func genericNackHasTheRFC4585Layout() throws {
        // Lost: 100, and after it 101 (BLP bit 0), 105 (bit 4) and 116 (bit 15).
        let nack = RTCPGenericNack(senderSSRC: 0x0102_0304, mediaSSRC: 0x0A0B_0C0D, missing: [116, 100, 105, 101])
        let expected: [UInt8] = [
            0x81, 205, 0x00, 0x03, // V=2 P=0 FMT=1, PT=RTPFB, length 4 words - 1
            0x01, 0x02, 0x03, 0x04, // SSRC of packet sender
            0x0A, 0x0B, 0x0C, 0x0D, // SSRC of media source
            0x00, 0x64, 0x80, 0x11, // PID 100, BLP 1000 0000 0001 0001
        ]
        #expect(nack.serialized() == expected)
        #expect(try RTCPPacket.parseCompound(expected) == [.genericNack(nack)])
        #expect(nack.sequenceNumbers == [100, 101, 105, 116])
    }

    @Test func pictureLossIndicationHasTheRFC4585Layout() throws {
        let pli = RTCPPictureLossIndication(senderSSRC: 0xCAFE_BABE, mediaSSRC: 0x0000_0042)
        let expected: [UInt8] = [
            0x81, 206, 0x00, 0x02, // V=2 P=0 FMT=1, PT=PSFB, length 3 words - 1, no FCI
            0xCA, 0xFE, 0xBA, 0xBE,
            0x00, 0x00, 0x00, 0x42,
        ]
        #expect(pli.serialized() == expected)
        #expect(try RTCPPacket.parseCompound(expected) == [.pictureLossIndication(pli)])
    }

    @Test func fullIntraRequestHasTheRFC5104Layout() throws {
        let fir = RTCPFullIntraRequest(senderSSRC: 0x1111_2222, entries: [
            .init(ssrc: 0x3333_4444, sequenceNumber: 7),
            .init(ssrc: 0x5555_6666, sequenceNumber: 255),
        ])
        let expected: [UInt8] = [
            0x84, 206, 0x00, 0x06, // FMT=4, PT=PSFB, length 7 words - 1
            0x11, 0x11, 0x22, 0x22,
            0x00, 0x00, 0x00, 0x00, // media source SSRC: 0 for FIR
            0x33, 0x33, 0x44, 0x44, 7, 0, 0, 0, // SSRC, Seq nr., reserved
            0x55, 0x55, 0x66, 0x66, 255, 0, 0, 0,
        ]
        #expect(fir.serialized() == expected)
        #expect(try RTCPPacket.parseCompound(expected) == [.fullIntraRequest(fir)])
    }

    @Test func feedbackRoundTripsInsideACompoundPacket() throws {
        let compound: [RTCPPacket] = [
            .receiverReport(RTCPReceiverReport(ssrc: 1, reportBlocks: [RTCPReportBlock(ssrc: 2, fractionLost: 3)])),
            .sourceDescription(RTCPSourceDescription(ssrc: 1, cname: "kiosk")),
            .genericNack(RTCPGenericNack(senderSSRC: 1, mediaSSRC: 2, missing: [1, 2, 3, 30, 65535])),
            .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
            .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 1)])),
        ]
        let bytes = RTCPPacket.serializeCompound(compound)
        #expect(try RTCPPacket.parseCompound(bytes) == compound)
        #expect(compound.map(\.packetType) == [201, 202, 205, 206, 206])
    }

    @Test func unmodelledFeedbackFormatsAreSkippedIntact() throws {
        // RTPFB FMT 3 (TMMBR) and PSFB FMT 15 (application layer, e.g. REMB) between known packets.
        let tmmbr: [UInt8] = [0x83, 205, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0x04, 0x00, 0x00, 0x28]
        let remb: [UInt8] = [0x8F, 206, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42]
        let pli = RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)
        let bytes = tmmbr + remb + pli.serialized()
        #expect(try RTCPPacket.parseCompound(bytes) == [
            .unknown(packetType: 205, bytes: tmmbr),
            .unknown(packetType: 206, bytes: remb),
            .pictureLossIndication(pli),
        ])
    }

    @Test func malformedFeedbackIsRejected() {
        // A NACK without room for both SSRCs.
        #expect(throws: RTCPParseError.badLength(packetType: 205)) {
            try RTCPPacket.parseCompound([0x81, 205, 0x00, 0x01, 0, 0, 0, 1])
        }
        // A FIR whose FCI is half an entry.
        #expect(throws: RTCPParseError.badLength(packetType: 206)) {
            try RTCPPacket.parseCompound([0x84, 206, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2])
        }
        // A padded NACK whose FCI is left two octets long.
        #expect(throws: RTCPParseError.badLength(packetType: 205)) {
            try RTCPPacket.parseCompound([0xA1, 205, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 2])
        }
    }

    @Test func nackEntriesAcrossTheWrapAreOneEntry() {
        let entries = RTCPGenericNack.entries(for: [0, 65534, 2, 65535])
        // PID 65534; 65535 is bit 0, 0 is bit 1, 2 is bit 3.
        #expect(entries == [.init(pid: 65534, blp: 0b1011)])
        #expect(entries[0].sequenceNumbers == [65534, 65535, 0, 2])
    }

    @Test func nackEntriesSplitBeyondSixteenFollowers() {
        #expect(RTCPGenericNack.entries(for: [10, 26]) == [.init(pid: 10, blp: 0x8000)])
        #expect(RTCPGenericNack.entries(for: [10, 27]) == [.init(pid: 10), .init(pid: 27)])
        #expect(RTCPGenericNack.entries(for: Array(65530...65535) + Array(0...30)).count == 3)
        #expect(RTCPGenericNack.entries(for: []).isEmpty)
    }

    @Test func randomMissingSetsSurviveEntriesAndBack() {
        var generator = SplitMix64(seed: 0x4E41_434B)
        for _ in 0..<2000 {
            // A cluster somewhere on the circle (often straddling the wrap) with random holes.
            let start = UInt16.random(in: 0...UInt16.max, using: &generator)
            let width = Int.random(in: 1...120, using: &generator)
            let missing = Set((0..<width).compactMap { offset -> UInt16? in
                Bool.random(using: &generator) ? start &+ UInt16(offset) : nil
            })
            let entries = RTCPGenericNack.entries(for: missing)
            let expanded = entries.flatMap(\.sequenceNumbers)
            #expect(Set(expanded) == missing)
            #expect(expanded.count == missing.count)
            // Minimal: consecutive PIDs are more than 16 apart (else the second would fit in the first).
            for (earlier, later) in zip(entries, entries.dropFirst()) {
                #expect(later.pid &- earlier.pid > 16)
            }
            // Entries never exceed what one NACK per 17 numbers of the span would need.
            #expect(entries.count <= (width + 16) / 17 + 1)
        }
    }
}
