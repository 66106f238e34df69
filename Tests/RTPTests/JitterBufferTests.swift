import Testing
@testable import RTP

@Suite struct JitterBufferTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    func packet(_ sequence: UInt16, timestamp: UInt32, ssrc: UInt32 = 7) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc,
                  payload: [UInt8(truncatingIfNeeded: sequence)])
    }

    /// Audio with the delay pinned to 40 ms, so playout times are exact.
    var fixedAudio: JitterBuffer.Configuration {
        var configuration = JitterBuffer.Configuration.audio
        configuration.minimumDelay = .milliseconds(40)
        configuration.maximumDelay = .milliseconds(40)
        configuration.initialDelay = .milliseconds(40)
        return configuration
    }

    /// Video with the delay pinned to 50 ms and holes waited for 100 ms.
    var fixedVideo: JitterBuffer.Configuration {
        var configuration = JitterBuffer.Configuration.video
        configuration.minimumDelay = .milliseconds(50)
        configuration.maximumDelay = .milliseconds(50)
        configuration.initialDelay = .milliseconds(50)
        configuration.missingPacketWait = .milliseconds(100)
        return configuration
    }

    func sequences(_ outputs: [JitterBuffer.Output]) -> [UInt16] {
        outputs.compactMap { if case .packet(let packet) = $0 { packet.sequenceNumber } else { nil } }
    }

    /// Every packet received is in exactly one place.
    func expectAccounted(_ buffer: JitterBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        let c = buffer.counters
        #expect(c.received == c.played + c.late + c.duplicate + c.overflowDropped + c.flushedOnRestart
                + c.discardedAsJump + buffer.bufferedCount, sourceLocation: sourceLocation)
    }

    @Test func audioPlaysInOrderAtItsPlayoutTimeAcrossTheWrap() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        let first: UInt16 = 65533
        for index in 0..<6 {
            // One 20 ms packet (960 ticks at 48 kHz) arriving every 20 ms.
            let sequence = first &+ UInt16(index)
            #expect(buffer.insert(packet(sequence, timestamp: UInt32(index * 960)), at: at(index * 20))
                    == .buffered(droppedOldest: 0))
        }
        var played: [UInt16] = []
        for index in 0..<6 {
            // Due at 20·i + 40 ms, not a millisecond earlier.
            #expect(buffer.poll(at: at(index * 20 + 39)).isEmpty)
            #expect(buffer.nextWakeup == at(index * 20 + 40))
            played += sequences(buffer.poll(at: at(index * 20 + 40)))
        }
        #expect(played == [65533, 65534, 65535, 0, 1, 2])
        #expect(buffer.counters.played == 6)
        #expect(buffer.nextWakeup == nil)
        expectAccounted(buffer)
    }

    @Test func reorderedPacketsComeOutInSequenceOrder() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        _ = buffer.insert(packet(10, timestamp: 0), at: at(0))
        _ = buffer.insert(packet(12, timestamp: 1920), at: at(40))
        _ = buffer.insert(packet(11, timestamp: 960), at: at(41))
        #expect(sequences(buffer.poll(at: at(100))) == [10, 11, 12])
        #expect(buffer.counters.lost == 0)
    }

    @Test func reorderingBeforeTheFirstPlayoutMovesTheStartBack() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        _ = buffer.insert(packet(501, timestamp: 960), at: at(20))
        _ = buffer.insert(packet(500, timestamp: 0), at: at(21))
        #expect(sequences(buffer.poll(at: at(200))) == [500, 501])
        #expect(buffer.counters.late == 0)
    }

    @Test func duplicatesAndLatePacketsAreDroppedAndCounted() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        _ = buffer.insert(packet(10, timestamp: 0), at: at(0))
        #expect(buffer.insert(packet(10, timestamp: 0), at: at(5)) == .duplicate)
        _ = buffer.insert(packet(12, timestamp: 1920), at: at(40))
        // Audio does not wait for 11: when 12 is due (40 + 40 ms), 11 is skipped.
        #expect(buffer.poll(at: at(80)) == [
            .packet(packet(10, timestamp: 0)), .skipped(firstSequence: 11, count: 1), .packet(packet(12, timestamp: 1920)),
        ])
        #expect(buffer.insert(packet(11, timestamp: 960), at: at(85)) == .late)
        #expect(buffer.insert(packet(12, timestamp: 1920), at: at(86)) == .late)
        #expect(buffer.counters.duplicate == 1)
        #expect(buffer.counters.late == 2)
        #expect(buffer.counters.lost == 1)
        expectAccounted(buffer)
    }

    /// Frame 0 (ts 0): 100–102 at 0 ms; frame 1 (ts 2700 = 30 ms): 103 lost, 104–105 at 30 ms;
    /// frame 2 (ts 5400): 106 at 60 ms. Playout 50, 80, 110 ms.
    func videoWithAHole() -> JitterBuffer {
        var buffer = JitterBuffer(configuration: fixedVideo)
        for sequence: UInt16 in 100...102 { _ = buffer.insert(packet(sequence, timestamp: 0), at: at(0)) }
        for sequence: UInt16 in 104...105 { _ = buffer.insert(packet(sequence, timestamp: 2700), at: at(30)) }
        _ = buffer.insert(packet(106, timestamp: 5400), at: at(60))
        return buffer
    }

    @Test func videoWaitsForAMissingPacketSoARetransmissionFillsIt() {
        var buffer = videoWithAHole()
        #expect(buffer.poll(at: at(49)).isEmpty)
        #expect(sequences(buffer.poll(at: at(50))) == [100, 101, 102])
        // 104 is due at 80 ms but 103 is awaited until 80 + 100 ms.
        #expect(buffer.poll(at: at(80)).isEmpty)
        #expect(buffer.nextWakeup == at(180))
        // The retransmission arrives at 120 ms: the frame and the next come out whole.
        _ = buffer.insert(packet(103, timestamp: 2700), at: at(120))
        #expect(sequences(buffer.poll(at: at(120))) == [103, 104, 105, 106])
        #expect(buffer.counters.lost == 0)
        expectAccounted(buffer)
    }

    @Test func videoSkipsAMissingPacketAfterTheWait() {
        var buffer = videoWithAHole()
        _ = buffer.poll(at: at(50))
        #expect(buffer.poll(at: at(179)).isEmpty)
        let outputs = buffer.poll(at: at(180))
        #expect(outputs.first == .skipped(firstSequence: 103, count: 1))
        #expect(sequences(outputs) == [104, 105, 106])
        #expect(buffer.counters.lost == 1)
        #expect(buffer.insert(packet(103, timestamp: 2700), at: at(181)) == .late)
    }

    @Test func theWaitForAHoleCanFollowTheRoundTrip() {
        var buffer = videoWithAHole()
        _ = buffer.poll(at: at(50))
        // A longer round trip reported: 103 is now awaited until 80 + 250 ms.
        buffer.missingPacketWait = .milliseconds(250)
        #expect(buffer.nextWakeup == at(330))
        #expect(buffer.poll(at: at(329)).isEmpty)
        #expect(buffer.poll(at: at(330)).first == .skipped(firstSequence: 103, count: 1))
    }

    @Test func packetsOfOneFrameShareTheirPlayoutTime() {
        var buffer = JitterBuffer(configuration: fixedVideo)
        // A key frame of 40 packets paced over 12 ms: all due with the frame, at 50 ms.
        for index in 0..<40 {
            _ = buffer.insert(packet(UInt16(index), timestamp: 90_000), at: at(index * 12 / 40))
        }
        #expect(buffer.poll(at: at(49)).isEmpty)
        #expect(sequences(buffer.poll(at: at(50))).count == 40)
    }

    @Test func delayGrowsFastWithJitterAndShrinksSlowly() {
        var configuration = JitterBuffer.Configuration.audio
        configuration.minimumDelay = .milliseconds(20)
        configuration.maximumDelay = .milliseconds(300)
        configuration.initialDelay = .milliseconds(60)
        configuration.delayMargin = .milliseconds(10)
        configuration.jitterMultiplier = 3
        configuration.delayShrinkPerSecond = .milliseconds(10)
        var buffer = JitterBuffer(configuration: configuration)
        var sequence: UInt16 = 0
        var time = 0
        func send(count: Int, jitterMilliseconds: Int) {
            for index in 0..<count {
                let arrival = time + (index % 2 == 1 ? jitterMilliseconds : 0)
                _ = buffer.insert(packet(sequence, timestamp: UInt32(sequence) * 960), at: at(arrival))
                _ = buffer.poll(at: at(arrival))
                sequence &+= 1
                time += 20
            }
        }
        // A steady second: no jitter, so the delay heads for the 20 ms minimum at 10 ms/s.
        send(count: 51, jitterMilliseconds: 0)
        #expect(buffer.jitter == .zero)
        #expect(buffer.currentDelay <= .milliseconds(51))
        #expect(buffer.currentDelay >= .milliseconds(49))

        // Every other packet 30 ms late: the delay follows 3 × jitter + 10 ms at once.
        send(count: 20, jitterMilliseconds: 30)
        let jitter = Double(buffer.jitter.components.attoseconds) / 1e18 + Double(buffer.jitter.components.seconds)
        #expect(jitter > 0.015)
        let expected = 3 * jitter + 0.010
        let delay = Double(buffer.currentDelay.components.attoseconds) / 1e18
        #expect(abs(delay - expected) < 0.000_01)
        let peak = buffer.currentDelay

        // Steady again for two seconds: it comes down, but by no more than 10 ms per second.
        send(count: 100, jitterMilliseconds: 0)
        #expect(buffer.currentDelay < peak)
        #expect(buffer.currentDelay >= peak - .milliseconds(21))
        expectAccounted(buffer)
    }

    @Test func aSingleHugeJumpIsDiscardedNotWaitedFor() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        _ = buffer.insert(packet(10, timestamp: 0), at: at(0))
        #expect(buffer.insert(packet(9000, timestamp: 0xDEAD_BEEF), at: at(10)) == .heldAsPossibleRestart)
        #expect(buffer.insert(packet(11, timestamp: 960), at: at(20)) == .buffered(droppedOldest: 0))
        #expect(sequences(buffer.poll(at: at(60))) == [10, 11])
        #expect(buffer.counters.discardedAsJump == 1)
        #expect(buffer.counters.restarts == 0)
        expectAccounted(buffer)
    }

    @Test func aRestartedSenderResetsTheBuffer() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        for index in 0..<3 { _ = buffer.insert(packet(UInt16(10 + index), timestamp: UInt32(index * 960)), at: at(index * 20)) }
        _ = buffer.poll(at: at(40))
        // The sender restarts at sequence 40000 with a new timestamp base.
        #expect(buffer.insert(packet(40000, timestamp: 777_777), at: at(60)) == .heldAsPossibleRestart)
        #expect(buffer.insert(packet(40001, timestamp: 777_777 + 960), at: at(80)) == .restarted(flushed: 2))
        #expect(buffer.nextWakeup == at(100))
        #expect(sequences(buffer.poll(at: at(120))) == [40000, 40001])
        #expect(buffer.counters.restarts == 1)
        #expect(buffer.counters.flushedOnRestart == 2)
        expectAccounted(buffer)
    }

    @Test func aNewSSRCIsARestartOnceConfirmed() {
        var buffer = JitterBuffer(configuration: fixedAudio)
        _ = buffer.insert(packet(10, timestamp: 0), at: at(0))
        #expect(buffer.insert(packet(11, timestamp: 960, ssrc: 99), at: at(20)) == .heldAsPossibleRestart)
        #expect(buffer.insert(packet(12, timestamp: 1920, ssrc: 99), at: at(40)) == .restarted(flushed: 1))
        let ssrcs: [UInt32] = buffer.poll(at: at(200)).compactMap { if case .packet(let p) = $0 { p.ssrc } else { nil } }
        #expect(ssrcs == [99, 99])
    }

    @Test func aFullBufferDropsTheOldestAndSaysSo() {
        var configuration = fixedAudio
        configuration.maximumPackets = 8
        configuration.maximumSpan = .seconds(10)
        var buffer = JitterBuffer(configuration: configuration)
        // Never polled: the ninth packet pushes out the first.
        for index in 0..<8 {
            #expect(buffer.insert(packet(UInt16(index), timestamp: UInt32(index * 960)), at: at(index))
                    == .buffered(droppedOldest: 0))
        }
        #expect(buffer.insert(packet(8, timestamp: 8 * 960), at: at(8)) == .buffered(droppedOldest: 1))
        #expect(buffer.bufferedCount == 8)
        #expect(buffer.counters.overflowDropped == 1)
        #expect(sequences(buffer.poll(at: at(1000))) == Array(1...8))
        expectAccounted(buffer)
    }

    @Test func theBufferSpansNoMoreMediaTimeThanItsLimit() {
        var configuration = fixedAudio
        configuration.maximumSpan = .milliseconds(200)
        var buffer = JitterBuffer(configuration: configuration)
        for index in 0..<50 { _ = buffer.insert(packet(UInt16(index), timestamp: UInt32(index * 960)), at: at(0)) }
        // 200 ms of 20 ms packets: eleven packets, the first and last 200 ms apart.
        #expect(buffer.bufferedCount == 11)
        #expect(buffer.counters.overflowDropped == 39)
        expectAccounted(buffer)
    }

    @Test(arguments: [JitterBuffer.Configuration.video, .audio])
    func hundredThousandGarbagePacketsStayBounded(configuration: JitterBuffer.Configuration) {
        var buffer = JitterBuffer(configuration: configuration)
        var generator = SplitMix64(seed: 0x6A72_6261)
        var sequence: UInt16 = 0
        var largest = 0
        var played = 0
        for round in 0..<100_000 {
            // Mostly a plausible stream, with random jumps, duplicates, old packets, foreign SSRCs
            // and random timestamps mixed in.
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: sequence = UInt16.random(in: 0...UInt16.max, using: &generator)
            case 1: sequence &-= UInt16.random(in: 0...200, using: &generator)
            default: sequence &+= 1
            }
            let garbage = RTPPacket(
                payloadType: 96, sequenceNumber: sequence,
                timestamp: Int.random(in: 0..<4, using: &generator) == 0
                    ? UInt32.random(in: 0...UInt32.max, using: &generator) : UInt32(round) * 900,
                ssrc: Int.random(in: 0..<50, using: &generator) == 0 ? 8 : 7, payload: [])
            _ = buffer.insert(garbage, at: at(round / 4))
            if round % 7 == 0 { played += buffer.poll(at: at(round / 4)).count }
            largest = max(largest, buffer.bufferedCount)
        }
        #expect(largest <= configuration.maximumPackets + 1)
        #expect(buffer.counters.received == 100_000)
        #expect(buffer.counters.played > 0)
        #expect(buffer.counters.late > 0)
        #expect(buffer.counters.duplicate > 0)
        expectAccounted(buffer)
    }
}
