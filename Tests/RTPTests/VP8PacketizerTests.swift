import Testing
@testable import RTP

@Suite struct VP8PacketizerTests {
    func frame(count: Int, seed: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed) % 251) }
    }

    @Test func largeFrameIsFragmentedIntoBalancedPayloads() throws {
        var packetizer = VP8Packetizer(initialPictureID: 300)
        let data = frame(count: 50_000)
        let payloads = packetizer.payloads(for: data)

        #expect(payloads.count == 42) // ceil(50 000 / 1196)
        #expect(payloads.allSatisfy { $0.count <= 1200 })
        let sizes = payloads.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)

        var reassembled: [UInt8] = []
        for (index, payload) in payloads.enumerated() {
            let (descriptor, length) = try VP8PayloadDescriptor.parse(payload)
            #expect(length == 4)
            #expect(descriptor.isStartOfPartition == (index == 0))
            #expect(descriptor.partitionIndex == 0)
            #expect(descriptor.pictureID == 300)
            #expect(descriptor.hasLongPictureID)
            reassembled += payload[length...]
        }
        #expect(reassembled == data)
        #expect(packetizer.nextPictureID == 301)
    }

    @Test func smallFrameIsOnePayload() {
        var packetizer = VP8Packetizer(initialPictureID: 0)
        #expect(packetizer.payloads(for: [0xAB, 0xCD]) == [[0x90, 0x80, 0x80, 0x00, 0xAB, 0xCD]])
        #expect(packetizer.payloads(for: Array(repeating: 7, count: 1196)).count == 1)
        #expect(packetizer.payloads(for: Array(repeating: 7, count: 1197)).map(\.count) == [603, 602])
    }

    @Test func emptyFrameProducesNothingAndKeepsThePictureID() {
        var packetizer = VP8Packetizer(initialPictureID: 9)
        #expect(packetizer.payloads(for: []).isEmpty)
        #expect(packetizer.nextPictureID == 9)
    }

    @Test func pictureIDWrapsAtFifteenBits() throws {
        var packetizer = VP8Packetizer(maxPayloadSize: 100, initialPictureID: 0x7FFE)
        var ids: [UInt16?] = []
        for _ in 0..<4 {
            let payloads = packetizer.payloads(for: frame(count: 250))
            let perPacket = try payloads.map { try VP8PayloadDescriptor.parse($0).descriptor.pictureID }
            #expect(Set(perPacket).count == 1) // same ID on every packet of the frame
            ids.append(perPacket.first!)
        }
        #expect(ids == [0x7FFE, 0x7FFF, 0, 1])
        #expect(packetizer.nextPictureID == 2)
        #expect(VP8Packetizer(initialPictureID: 0xFFFF).nextPictureID == 0x7FFF)
    }

    @Test func tinyMaximumStillMakesProgress() {
        var packetizer = VP8Packetizer(maxPayloadSize: 1, initialPictureID: 0)
        #expect(packetizer.maxPayloadSize == 5)
        let payloads = packetizer.payloads(for: [1, 2, 3])
        #expect(payloads.map { $0.last } == [1, 2, 3])
    }

    @Test func markerOnlyOnTheLastPacketOfAFrame() throws {
        var packetizer = VP8Packetizer(initialPictureID: 5)
        var stream = RTPStream(ssrc: 7, payloadType: 96, clockRate: 90_000, initialSequence: 100, initialTimestamp: 0)
        for (index, count) in [3_000, 800, 5_000].enumerated() {
            let packets = stream.packets(for: packetizer.payloads(for: frame(count: count)), timestamp: UInt32(index) * 3000)
            #expect(packets.count == (count + 1195) / 1196)
            #expect(packets.map(\.marker) == Array(repeating: false, count: packets.count - 1) + [true])
            let starts = try packets.map { try VP8PayloadDescriptor.parse($0.payload).descriptor.isStartOfPartition }
            #expect(starts == [true] + Array(repeating: false, count: packets.count - 1))
        }
    }
}
