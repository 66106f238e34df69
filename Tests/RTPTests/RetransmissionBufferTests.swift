import Testing
@testable import RTP

@Suite struct RetransmissionBufferTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    func packet(_ sequence: UInt16, size: Int = 100) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(sequence) * 3000, ssrc: 42,
                  payload: Array(repeating: UInt8(truncatingIfNeeded: sequence), count: size))
    }

    @Test func answersANackWithTheSamePacketsAcrossTheWrap() {
        var buffer = RetransmissionBuffer()
        for sequence: UInt16 in [65533, 65534, 65535, 0, 1, 2] { buffer.packetSent(packet(sequence), at: at(0)) }
        let nack = RTCPGenericNack(senderSSRC: 9, mediaSSRC: 42, missing: [65535, 0, 2])
        let resent = buffer.retransmissions(for: nack, ssrc: 42, at: at(30))
        #expect(resent == [packet(65535), packet(0), packet(2)])
        #expect(resent.map { $0.serialized() } == [packet(65535), packet(0), packet(2)].map { $0.serialized() })
        #expect(buffer.counters.retransmitted == 3)
        // Another stream's NACK gets nothing.
        #expect(buffer.retransmissions(for: RTCPGenericNack(senderSSRC: 9, mediaSSRC: 43, missing: [0]), ssrc: 42, at: at(60)).isEmpty)
    }

    @Test func keepsOnlyTheLastPacketsByCount() {
        var buffer = RetransmissionBuffer(configuration: .init(capacity: 4))
        for sequence: UInt16 in 0..<10 { buffer.packetSent(packet(sequence), at: at(Int(sequence))) }
        #expect(buffer.count == 4)
        #expect(buffer.retransmissions(for: [5, 6, 7, 8, 9], at: at(20)).map(\.sequenceNumber) == [6, 7, 8, 9])
        #expect(buffer.counters.notHeld == 1)
    }

    @Test func keepsOnlyTheLastPacketsByAge() {
        var buffer = RetransmissionBuffer(configuration: .init(maximumAge: .milliseconds(100)))
        buffer.packetSent(packet(1), at: at(0))
        buffer.packetSent(packet(2), at: at(50))
        #expect(buffer.retransmissions(for: [1, 2], at: at(120)).map(\.sequenceNumber) == [2])
    }

    @Test func aRepeatedNackInsideTheResendIntervalIsIgnored() {
        var buffer = RetransmissionBuffer(configuration: .init(minimumResendInterval: .milliseconds(10)))
        buffer.packetSent(packet(7), at: at(0))
        #expect(buffer.retransmissions(for: [7], at: at(20)).count == 1)
        #expect(buffer.retransmissions(for: [7], at: at(25)).isEmpty)
        #expect(buffer.retransmissions(for: [7], at: at(30)).count == 1)
        #expect(buffer.counters.resentRecently == 1)
    }

    @Test func aNackStormIsRateLimited() {
        // 112-octet packets; a 1000-octet bucket refilled at 10 000 octets/s.
        var buffer = RetransmissionBuffer(configuration: .init(
            capacity: 200, maximumAge: .seconds(10), octetsPerSecond: 10_000, burstOctets: 1000,
            minimumResendInterval: .zero))
        for sequence: UInt16 in 0..<200 { buffer.packetSent(packet(sequence), at: at(0)) }
        #expect(buffer.retransmissions(for: 0..<200, at: at(0)).count == 1000 / 112)
        #expect(buffer.counters.rateLimited == 200 - 1000 / 112)
        // A storm every millisecond for a second: no more than the bucket plus the refill.
        var sent = 0
        for millisecond in 1...1000 {
            sent += buffer.retransmissions(for: 0..<200, at: at(millisecond)).reduce(0) {
                $0 + $1.headerSize + $1.payload.count
            }
        }
        #expect(sent <= 1000 + 10_000)
        #expect(sent >= 10_000 - 112)
    }

    @Test func memoryStaysBoundedUnderHundredThousandPackets() {
        var buffer = RetransmissionBuffer(configuration: .init(capacity: 300))
        var generator = SplitMix64(seed: 0x7265_7478)
        for round in 0..<100_000 {
            // Random sequence numbers too: reuse and collisions must not leak slots.
            buffer.packetSent(packet(UInt16.random(in: 0...UInt16.max, using: &generator), size: 1), at: at(round / 10))
            #expect(buffer.count <= 300)
        }
        #expect(buffer.counters.stored == 100_000)
        #expect(buffer.bySequence.allSatisfy { buffer.slots[$0.value]?.packet.sequenceNumber == $0.key })
    }
}
