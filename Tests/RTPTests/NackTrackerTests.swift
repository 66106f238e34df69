import Testing
@testable import RTP

@Suite struct NackTrackerTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    var tracker: NackTracker {
        var tracker = NackTracker(configuration: .init(
            maximumTracked: 500, maximumAttempts: 3, maximumAge: .seconds(2),
            reorderingDelay: .milliseconds(5), minimumRetryInterval: .milliseconds(20)))
        tracker.roundTripTime = .milliseconds(100)
        return tracker
    }

    @Test func aGapIsNackedAfterTheReorderingDelayThenEveryRoundTrip() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 100, at: at(0))
        tracker.packetArrived(sequenceNumber: 103, at: at(10))
        #expect(tracker.missingSequenceNumbers == [101, 102])
        #expect(tracker.poll(at: at(14)).nack.isEmpty)
        #expect(tracker.poll(at: at(15)).nack == [101, 102])
        #expect(tracker.poll(at: at(20)).nack.isEmpty)
        tracker.packetArrived(sequenceNumber: 101, at: at(60))
        #expect(tracker.nextWakeup == at(115))
        #expect(tracker.poll(at: at(114)).nack.isEmpty)
        #expect(tracker.poll(at: at(115)).nack == [102])
        #expect(tracker.counters.recovered == 1)
        #expect(tracker.counters.requested == 3)
    }

    @Test func aPacketMerelyOvertakenIsNotNacked() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 100, at: at(0))
        tracker.packetArrived(sequenceNumber: 102, at: at(1))
        tracker.packetArrived(sequenceNumber: 101, at: at(3))
        #expect(tracker.poll(at: at(10)).nack.isEmpty)
        #expect(tracker.nextWakeup == nil)
    }

    @Test func gapsAcrossTheWrapAreNackedInStreamOrder() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 65533, at: at(0))
        tracker.packetArrived(sequenceNumber: 2, at: at(1))
        let due = tracker.poll(at: at(10)).nack
        #expect(due == [65534, 65535, 0, 1])
        let nack = RTCPGenericNack(senderSSRC: 1, mediaSSRC: 2, missing: due)
        #expect(nack.entries == [.init(pid: 65534, blp: 0b111)])
    }

    @Test func givesUpAfterTheLastAttemptWentUnanswered() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 1, at: at(0))
        tracker.packetArrived(sequenceNumber: 3, at: at(0))
        #expect(tracker.poll(at: at(5)).nack == [2])
        #expect(tracker.poll(at: at(105)).nack == [2])
        #expect(tracker.poll(at: at(205)) == .init(nack: [2], newlyLost: 0))
        // The third NACK had its round trip; no fourth.
        #expect(tracker.poll(at: at(304)) == .init(nack: [], newlyLost: 0))
        #expect(tracker.poll(at: at(305)) == .init(nack: [], newlyLost: 1))
        #expect(tracker.counters.lost == 1)
        #expect(tracker.missingSequenceNumbers.isEmpty)
    }

    @Test func givesUpWhenTooOld() {
        var tracker = NackTracker(configuration: .init(maximumAttempts: 100, maximumAge: .milliseconds(200)))
        tracker.packetArrived(sequenceNumber: 1, at: at(0))
        tracker.packetArrived(sequenceNumber: 3, at: at(0))
        #expect(tracker.poll(at: at(199)).newlyLost == 0)
        #expect(tracker.poll(at: at(200)) == .init(nack: [], newlyLost: 1))
        // A late arrival of a given-up packet is harmless.
        tracker.packetArrived(sequenceNumber: 2, at: at(201))
        #expect(tracker.counters.recovered == 0)
    }

    @Test func packetsTheConsumerSkippedAreNoLongerAskedFor() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 65534, at: at(0))
        tracker.packetArrived(sequenceNumber: 5, at: at(0))
        #expect(tracker.missingSequenceNumbers == [65535, 0, 1, 2, 3, 4])
        // The jitter buffer skipped 65535...1.
        tracker.stopRequesting(firstSequence: 65535, count: 3)
        #expect(tracker.missingSequenceNumbers == [2, 3, 4])
        #expect(tracker.poll(at: at(10)) == .init(nack: [2, 3, 4], newlyLost: 3))
        // A huge count touches only what is tracked.
        tracker.stopRequesting(firstSequence: 0, count: 60000)
        #expect(tracker.missingSequenceNumbers.isEmpty)
        #expect(tracker.counters.lost == 6)
    }

    @Test func theTrackedListIsBounded() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 0, at: at(0))
        tracker.packetArrived(sequenceNumber: 1001, at: at(1))
        #expect(tracker.missingSequenceNumbers.count == 500)
        #expect(tracker.missingSequenceNumbers.first == 501)
        let poll = tracker.poll(at: at(10))
        #expect(poll.newlyLost == 500)
        #expect(poll.nack.count == 500)
        #expect(tracker.counters.missing == 1000)
    }

    @Test func aRestartedSenderClearsTheList() {
        var tracker = tracker
        tracker.packetArrived(sequenceNumber: 10, at: at(0))
        tracker.packetArrived(sequenceNumber: 12, at: at(0))
        tracker.packetArrived(sequenceNumber: 30000, at: at(1))
        tracker.packetArrived(sequenceNumber: 30001, at: at(2))
        #expect(tracker.poll(at: at(10)) == .init(nack: [], newlyLost: 1))
        #expect(tracker.counters.restarts == 1)
    }

    @Test func garbageKeepsItBounded() {
        var tracker = tracker
        var generator = SplitMix64(seed: 0x6E61_636B)
        for round in 0..<100_000 {
            tracker.packetArrived(sequenceNumber: UInt16.random(in: 0...UInt16.max, using: &generator), at: at(round))
            if round % 10 == 0 { _ = tracker.poll(at: at(round)) }
            #expect(tracker.missing.count <= 500)
        }
    }
}

/// Sender and receiver wired through a lossy channel, no sockets: the sender's packets go through
/// a RetransmissionBuffer, the receiver's through a JitterBuffer, a NackTracker and the VP8
/// depacketizer; NACKs travel as serialized RTCP. 5% of the original packets are lost.
@Suite struct NackRepairTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    struct Outcome {
        var frames: [VP8Frame]
        var sent: [[UInt8]]
        var lostOriginals: Int
        var dropped: Int
        var jitterBuffer: JitterBuffer.Counters
        var tracker: NackTracker.Counters
    }

    func frame(_ index: Int) -> [UInt8] {
        // A key frame first, then delta frames of 2000–3000 octets (4–6 packets each).
        let header: [UInt8] = index == 0
            ? [0x90, 0x0C, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]
            : [0x91, 0x0C, 0x00]
        return header + (0..<(2000 + index * 37 % 1000)).map { UInt8(truncatingIfNeeded: $0 &* index) }
    }

    func run(frameCount: Int, nack: Bool, seed: UInt64) throws -> Outcome {
        var generator = SplitMix64(seed: seed)
        var packetizer = VP8Packetizer(maxPayloadSize: 504, initialPictureID: 1)
        var stream = RTPStream(ssrc: 42, payloadType: 96, clockRate: 90_000, initialSequence: 65000, initialTimestamp: 0)
        var retransmission = RetransmissionBuffer()
        var jitterBuffer = JitterBuffer(configuration: .video)
        var tracker = NackTracker()
        tracker.roundTripTime = .milliseconds(40)
        var depacketizer = VP8Depacketizer()

        let oneWay = 20
        var toReceiver: [Int: [RTPPacket]] = [:]
        var toSender: [Int: [[UInt8]]] = [:]
        var frames: [VP8Frame] = []
        var sent: [[UInt8]] = []
        var lostOriginals = 0

        for millisecond in 0..<(frameCount * 33 + 1000) {
            let now = at(millisecond)
            // Sender: a frame every 33 ms; 5% of the packets never arrive.
            if millisecond % 33 == 0, millisecond / 33 < frameCount {
                let data = frame(millisecond / 33)
                sent.append(data)
                for packet in stream.packets(for: packetizer.payloads(for: data), timestamp: UInt32(millisecond * 90)) {
                    retransmission.packetSent(packet, at: now)
                    if Int.random(in: 0..<100, using: &generator) < 5 {
                        lostOriginals += 1
                    } else {
                        toReceiver[millisecond + oneWay, default: []].append(packet)
                    }
                }
            }
            for bytes in toSender.removeValue(forKey: millisecond) ?? [] {
                for case .genericNack(let request) in try RTCPPacket.parseCompound(bytes) {
                    let resent = retransmission.retransmissions(for: request, ssrc: 42, at: now)
                    toReceiver[millisecond + oneWay, default: []].append(contentsOf: resent)
                }
            }
            // Receiver.
            for packet in toReceiver.removeValue(forKey: millisecond) ?? [] {
                _ = jitterBuffer.insert(packet, at: now)
                tracker.packetArrived(sequenceNumber: packet.sequenceNumber, at: now)
            }
            let due = tracker.poll(at: now).nack
            if nack, !due.isEmpty {
                let request = RTCPGenericNack(senderSSRC: 7, mediaSSRC: 42, missing: due)
                toSender[millisecond + oneWay, default: []].append(RTCPPacket.serializeCompound([.genericNack(request)]))
            }
            for case .packet(let packet) in jitterBuffer.poll(at: now) {
                frames += depacketizer.push(packet)
            }
        }
        return Outcome(frames: frames, sent: sent, lostOriginals: lostOriginals, dropped: depacketizer.droppedFrameCount,
                       jitterBuffer: jitterBuffer.counters, tracker: tracker.counters)
    }

    @Test func nackRepairsFivePercentRandomLoss() throws {
        let outcome = try run(frameCount: 150, nack: true, seed: 0x1055)
        #expect(outcome.lostOriginals > 20)
        // Every frame arrives whole and in order (the last one only if its final packet arrived:
        // a lost last packet of the last frame is never noticed).
        #expect(outcome.dropped == 0)
        #expect(outcome.frames.count >= outcome.sent.count - 1)
        #expect(outcome.frames.map(\.data) == Array(outcome.sent.prefix(outcome.frames.count)))
        #expect(outcome.frames.first?.isKeyFrame == true)
        #expect(outcome.jitterBuffer.lost == 0)
        #expect(outcome.tracker.recovered >= outcome.lostOriginals - 1)
    }

    @Test func withoutNackTheSameLossDropsFrames() throws {
        let outcome = try run(frameCount: 150, nack: false, seed: 0x1055)
        #expect(outcome.dropped > 10)
        #expect(outcome.jitterBuffer.lost >= outcome.lostOriginals - 1)
    }
}
