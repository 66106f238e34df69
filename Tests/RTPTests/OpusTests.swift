import Testing
@testable import RTP

@Suite struct OpusTests {
    @Test func oneOpusPacketPerPayload() {
        let packetizer = OpusPacketizer()
        #expect(packetizer.payloads(for: [0xFC, 1, 2]) == [[0xFC, 1, 2]])
        #expect(packetizer.payloads(for: []).isEmpty)
        #expect(OpusPacketizer.clockRate == 48_000)
    }

    @Test func timestampsAdvanceAtFortyEightKilohertz() {
        #expect(OpusPacketizer.timestampIncrement(sampleCount: 960, sampleRate: 48_000) == 960)
        #expect(OpusPacketizer.timestampIncrement(sampleCount: 320, sampleRate: 16_000) == 960)
        #expect(OpusPacketizer.timestampIncrement(sampleCount: 160, sampleRate: 8_000) == 960)
        #expect(OpusPacketizer.timestampIncrement(sampleCount: 480, sampleRate: 48_000) == 480)
        #expect(OpusPacketizer.timestampIncrement(sampleCount: 10, sampleRate: 0) == 0)
    }

    @Test func depacketizerReturnsPayloadsAndCountsGaps() {
        var receiver = OpusDepacketizer()
        func packet(_ seq: UInt16, _ payload: [UInt8]) -> RTPPacket {
            RTPPacket(payloadType: 111, sequenceNumber: seq, timestamp: UInt32(seq) * 960, ssrc: 1, payload: payload)
        }
        let first = receiver.push(packet(65535, [1]))
        #expect(first?.opusPacket == [1])
        #expect(first?.lostBefore == 0)
        let afterGap = receiver.push(packet(2, [2])) // 0 and 1 missing, across the wrap
        #expect(afterGap?.opusPacket == [2])
        #expect(afterGap?.lostBefore == 2)
        let late = receiver.push(packet(1, [3])) // a straggler does not count or rewind
        #expect(late?.lostBefore == 0)
        #expect(receiver.push(packet(3, [4]))?.lostBefore == 0)
        #expect(receiver.push(packet(4, [])) == nil)
        #expect(receiver.lostPacketCount == 2)
    }
}
