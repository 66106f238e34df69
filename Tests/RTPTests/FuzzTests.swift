import Testing
@testable import RTP

/// Random and mangled input: parsers must throw or succeed, never trap, and whatever they accept
/// must survive a serialize/parse round trip unchanged.
@Suite struct FuzzTests {
    @Test func splitMixIsTheReferenceGenerator() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func randomBytesIntoRTPPacket() throws {
        var generator = SplitMix64(seed: 0x5EED_0001)
        var accepted = 0
        for round in 0..<5000 {
            var bytes = generator.bytes(count: Int.random(in: 0...80, using: &generator))
            // Force version 2 on most inputs so the deeper checks get exercised.
            if round % 4 != 0, !bytes.isEmpty { bytes[0] = bytes[0] & 0x3F | 0x80 }
            guard let packet = try? RTPPacket(parsing: bytes) else { continue }
            accepted += 1
            #expect(packet.headerSize + packet.payload.count + Int(packet.paddingCount) == bytes.count)
            #expect(try RTPPacket(parsing: packet.serialized()) == packet)
        }
        #expect(accepted > 100)
    }

    @Test func randomBytesIntoRTCPCompound() throws {
        var generator = SplitMix64(seed: 0x5EED_0002)
        var accepted = 0
        for round in 0..<5000 {
            let words = Int.random(in: 1...12, using: &generator)
            var bytes = generator.bytes(count: words * 4 + (round % 7 == 0 ? 1 : 0))
            if round % 5 != 0 {
                // Plausible header: version 2, a known type, a length that fits.
                bytes[0] = bytes[0] & 0x3F | 0x80
                bytes[1] = UInt8.random(in: 200...206, using: &generator)
                // Feedback formats modelled here (NACK 1; PLI 1, FIR 4) most of the time.
                if bytes[1] >= 205, round % 3 != 0 { bytes[0] = 0x80 | (bytes[1] == 205 ? 1 : [1, 4].randomElement(using: &generator)!) }
                bytes[2] = 0
                bytes[3] = UInt8(words - 1)
            }
            guard let packets = try? RTCPPacket.parseCompound(bytes) else { continue }
            accepted += 1
            #expect(try RTCPPacket.parseCompound(RTCPPacket.serializeCompound(packets)) == packets)
        }
        #expect(accepted > 50)
    }

    @Test func mutatedValidCompoundPackets() throws {
        let valid = RTCPPacket.serializeCompound([
            .receiverReport(RTCPReceiverReport(ssrc: 1, reportBlocks: [RTCPReportBlock(ssrc: 2, cumulativeLost: -1)])),
            .sourceDescription(RTCPSourceDescription(ssrc: 1, cname: "abc")),
            .bye(RTCPBye(ssrcs: [1], reason: "x")),
            .genericNack(RTCPGenericNack(senderSSRC: 1, mediaSSRC: 2, missing: [65535, 0, 5, 40])),
            .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
            .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 9)])),
        ])
        var generator = SplitMix64(seed: 0x5EED_0003)
        var feedbackSurvived = 0
        for _ in 0..<5000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let packets = try? RTCPPacket.parseCompound(bytes) {
                #expect(try RTCPPacket.parseCompound(RTCPPacket.serializeCompound(packets)) == packets)
                feedbackSurvived += packets.count { packet in
                    switch packet {
                    case .genericNack, .pictureLossIndication, .fullIntraRequest: true
                    default: false
                    }
                }
            }
        }
        #expect(feedbackSurvived > 100)
    }

    @Test func randomBytesIntoVP8Descriptor() throws {
        var generator = SplitMix64(seed: 0x5EED_0004)
        for _ in 0..<5000 {
            let bytes = generator.bytes(count: Int.random(in: 0...6, using: &generator))
            guard let (descriptor, length) = try? VP8PayloadDescriptor.parse(bytes) else { continue }
            // X with no I/L/T/K flags is legal but redundant: the model drops the empty octet.
            let emptyExtension = bytes[0] & 0x80 != 0 && bytes[1] & 0xF0 == 0
            #expect(length == (emptyExtension ? 2 : descriptor.size))
            #expect(length <= bytes.count)
            #expect(try VP8PayloadDescriptor.parse(descriptor.serialized()).descriptor == descriptor)
        }
    }

    @Test func randomPacketsIntoVP8Depacketizer() {
        var generator = SplitMix64(seed: 0x5EED_0005)
        var receiver = VP8Depacketizer()
        var sequence: UInt16 = 0
        var frames = 0
        for _ in 0..<5000 {
            // Mostly in order with occasional jumps, random timestamps from a small set, random payloads.
            sequence &+= Int.random(in: 0..<10, using: &generator) == 0 ? UInt16.random(in: 0...5, using: &generator) : 1
            let packet = RTPPacket(
                marker: Bool.random(using: &generator),
                payloadType: 96,
                sequenceNumber: sequence,
                timestamp: UInt32.random(in: 0...3, using: &generator),
                ssrc: 1,
                payload: generator.bytes(count: Int.random(in: 0...8, using: &generator)))
            for frame in receiver.push(packet) {
                frames += 1
                #expect(!frame.data.isEmpty)
            }
        }
        #expect(frames > 0)
        #expect(receiver.droppedFrameCount > 0)
    }
}
