import Testing
@testable import RTP

@Suite struct ReceiverStatisticsTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func lossAcrossTheWrapFollowsRFC3550() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        // 65534 is on probation (RFC 3550 §A.1); 65535 validates the source and is the base. 2 is lost.
        for (index, sequence) in [65534, 65535, 0, 1, 3].enumerated() {
            statistics.packetReceived(sequenceNumber: UInt16(sequence), timestamp: UInt32(index) * 3000, at: at(index * 33))
        }
        #expect(statistics.isValid)
        #expect(statistics.extendedHighestSequence == 65536 + 3)
        #expect(statistics.expectedCount == 5)
        #expect(statistics.receivedCount == 4)
        let first = statistics.makeReportBlock(at: at(200))
        #expect(first.ssrc == 7)
        #expect(first.extendedHighestSequence == 65539)
        #expect(first.cumulativeLost == 1)
        #expect(first.fractionLost == UInt8(256 / 5))

        // The next interval loses nothing; a duplicate makes the cumulative count go down.
        for sequence in 4...7 { statistics.packetReceived(sequenceNumber: UInt16(sequence), timestamp: 0, at: at(300)) }
        let second = statistics.makeReportBlock(at: at(400))
        #expect(second.fractionLost == 0)
        #expect(second.cumulativeLost == 1)
        statistics.packetReceived(sequenceNumber: 7, timestamp: 0, at: at(410))
        #expect(statistics.makeReportBlock(at: at(500)).cumulativeLost == 0)
    }

    @Test func fractionLostIsPerInterval() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 48_000)
        // Sequence 0 on probation, then 1...101 (the base is 1) with every fourth one from 4 missing.
        for sequence in 0...101 where sequence < 4 || sequence % 4 != 0 {
            statistics.packetReceived(sequenceNumber: UInt16(sequence), timestamp: UInt32(sequence) * 960, at: at(sequence * 20))
        }
        let block = statistics.makeReportBlock(at: at(2100))
        let expected = 101, received = expected - 25
        #expect(block.cumulativeLost == Int32(expected - received))
        #expect(block.fractionLost == UInt8((expected - received) * 256 / expected))
    }

    @Test func jitterFollowsAppendixA8() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        // 30 ms frames (2700 ticks); arrivals late by these many milliseconds.
        let lateness = [0, 0, 0, 10, 0, 5, 20, 0, 0, 3]
        var reference = 0.0
        var lastTransit: Int?
        for (index, late) in lateness.enumerated() {
            let arrival = index * 30 + late
            statistics.packetReceived(sequenceNumber: UInt16(index), timestamp: UInt32(index * 2700), at: at(arrival))
            // The RFC's float form, from the first validated packet (index 1) on.
            guard index >= 1 else { continue }
            let transit = arrival * 90 - index * 2700
            if let lastTransit { reference += (Double(abs(transit - lastTransit)) - reference) / 16 }
            lastTransit = transit
        }
        #expect(reference > 100)
        #expect(abs(Double(statistics.jitter) - reference) <= 2)
    }

    @Test func aRetransmittedPacketDoesNotCountAsJitter() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        for index in [0, 1, 2, 4, 5] {
            statistics.packetReceived(sequenceNumber: UInt16(index), timestamp: UInt32(index * 2700), at: at(index * 30))
        }
        // 3 arrives 120 ms after its time, answering a NACK.
        statistics.packetReceived(sequenceNumber: 3, timestamp: 3 * 2700, at: at(210))
        #expect(statistics.jitter == 0)
        #expect(statistics.cumulativeLost == 0)
    }

    @Test func aFramesPacedPacketsDoNotCountAsJitter() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        // Frames every 40 ms on time, each of four packets sent 4 ms apart under one timestamp.
        var sequence: UInt16 = 0
        for frame in 0..<20 {
            for packet in 0..<4 {
                statistics.packetReceived(sequenceNumber: sequence, timestamp: UInt32(frame * 3600), at: at(frame * 40 + packet * 4))
                sequence += 1
            }
        }
        // Only the validating packet (a frame's second, 4 ms in) stepped off the frames' grid once.
        #expect(statistics.jitterSeconds < 0.000_1)
        // A whole frame 20 ms late is jitter.
        for packet in 0..<4 { statistics.packetReceived(sequenceNumber: sequence, timestamp: 20 * 3600, at: at(20 * 40 + 20 + packet * 4)); sequence += 1 }
        #expect(abs(statistics.jitterSeconds - 0.020 / 16) < 0.000_1)
    }

    @Test func lastSenderReportAndDelaySinceIt() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        #expect(statistics.makeReportBlock(at: at(0)).lastSR == 0)
        let ntp = NTPTimestamp(seconds: 3_900_000_000, fraction: 0x8000_0000)
        let report = RTCPSenderReport(ssrc: 7, ntpTimestamp: ntp, rtpTimestamp: 0, packetCount: 0, octetCount: 0)
        statistics.senderReportReceived(report, at: at(1000))
        let block = statistics.makeReportBlock(at: at(2500))
        #expect(block.lastSR == ntp.middle32)
        #expect(block.delaySinceLastSR == 65536 * 3 / 2)
    }

    @Test func roundTripTimeFromAReportBlock() throws {
        // Our SR left at T; the peer held it 1.5 s; its report arrives at T + 1.58 s.
        let sent = NTPTimestamp(seconds: 3_900_000_000, fraction: 0)
        let block = RTCPReportBlock(ssrc: 1, lastSR: sent.middle32, delaySinceLastSR: 65536 * 3 / 2)
        let arrival = NTPTimestamp(seconds: 3_900_000_001, fraction: UInt32(0.58 * 4_294_967_296))
        let rtt = try #require(block.roundTripTime(arrival: arrival))
        #expect(rtt > .milliseconds(79))
        #expect(rtt < .milliseconds(81))
        #expect(RTCPReportBlock(ssrc: 1).roundTripTime(arrival: arrival) == nil)
        // A DLSR longer than the time since the SR (a forged or broken block) gives no RTT.
        #expect(RTCPReportBlock(ssrc: 1, lastSR: sent.middle32, delaySinceLastSR: 65536 * 2).roundTripTime(arrival: arrival) == nil)
    }

    @Test func aRestartedSourceIsRevalidated() {
        var statistics = ReceiverStatistics(ssrc: 7, clockRate: 90_000)
        for sequence in 100...110 { statistics.packetReceived(sequenceNumber: UInt16(sequence), timestamp: 0, at: at(0)) }
        // One packet far away is ignored; two in sequence restart the counts there.
        statistics.packetReceived(sequenceNumber: 20000, timestamp: 0, at: at(1))
        #expect(statistics.extendedHighestSequence == 110)
        statistics.packetReceived(sequenceNumber: 20001, timestamp: 0, at: at(2))
        #expect(statistics.extendedHighestSequence == 20001)
        #expect(statistics.cumulativeLost == 0)
        #expect(statistics.receivedCount == 1)
    }
}
