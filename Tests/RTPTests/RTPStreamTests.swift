import Testing
@testable import RTP

@Suite struct RTPStreamTests {
    @Test func sequenceNumbersWrapWithinAFrame() {
        var stream = RTPStream(ssrc: 0xABCD, payloadType: 96, clockRate: 90_000, initialSequence: 65534, initialTimestamp: 0)
        let packets = stream.packets(for: [[1], [2], [3], [4]], timestamp: 0)
        #expect(packets.map(\.sequenceNumber) == [65534, 65535, 0, 1])
        #expect(stream.nextSequenceNumber == 2)
        let next = stream.packets(for: [[5]], timestamp: 3000)
        #expect(next.map(\.sequenceNumber) == [2])
    }

    @Test func timestampsCarryTheRandomOffsetAndWrap() {
        var stream = RTPStream(ssrc: 1, payloadType: 96, clockRate: 90_000, initialSequence: 0, initialTimestamp: 0xFFFF_FF00)
        let packets = stream.packets(for: [[0], [0]], timestamp: 0x200)
        #expect(packets.map(\.timestamp) == [0x100, 0x100])
        #expect(stream.lastRTPTimestamp == 0x100)
        #expect(packets.allSatisfy { $0.ssrc == 1 && $0.payloadType == 96 })
    }

    @Test func markerPolicies() {
        var stream = RTPStream(ssrc: 1, payloadType: 111, clockRate: 48_000, initialSequence: 10, initialTimestamp: 0)
        #expect(stream.packets(for: [[1], [2], [3]], timestamp: 0).map(\.marker) == [false, false, true])
        #expect(stream.packets(for: [[1], [2]], timestamp: 960, marker: .firstPacket).map(\.marker) == [true, false])
        #expect(stream.packets(for: [[1]], timestamp: 1920, marker: .none).map(\.marker) == [false])
        #expect(stream.packets(for: [[1]], timestamp: 2880).map(\.marker) == [true])
    }

    @Test func countsPayloadOctetsOnlyAndBuildsASenderReport() {
        var stream = RTPStream(ssrc: 0x5555, payloadType: 96, clockRate: 90_000, initialSequence: 0, initialTimestamp: 1000)
        _ = stream.packets(for: [Array(repeating: 0, count: 1000), Array(repeating: 0, count: 200)], timestamp: 0)
        _ = stream.packets(for: [Array(repeating: 0, count: 50)], timestamp: 3000)
        #expect(stream.packetCount == 3)
        #expect(stream.octetCount == 1250)
        #expect(stream.packets(for: [], timestamp: 6000).isEmpty)
        #expect(stream.packetCount == 3)

        let ntp = NTPTimestamp(seconds: 100, fraction: 0)
        let block = RTCPReportBlock(ssrc: 9, fractionLost: 1)
        let report = stream.senderReport(ntp: ntp, rtpTimestamp: 4500, reportBlocks: [block])
        #expect(report == RTCPSenderReport(
            ssrc: 0x5555, ntpTimestamp: ntp, rtpTimestamp: 5500, packetCount: 3, octetCount: 1250, reportBlocks: [block]))
    }

    @Test func payloadTypeIsSevenBits() {
        let stream = RTPStream(ssrc: 1, payloadType: 0x80 | 100, clockRate: 90_000, initialSequence: 0, initialTimestamp: 0)
        #expect(stream.payloadType == 100)
    }
}
