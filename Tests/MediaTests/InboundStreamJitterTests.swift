import RTP
import SRTP
import Testing
@testable import Media

/// The receive side's interarrival jitter: packets with known RTP timestamps arriving at known times give
/// RFC 3550's figure (§6.4.1: J += (|D(i-1,i)| − J) / 16), in milliseconds through the stream's clock.
@Suite struct InboundStreamJitterTests {
    static func datagram(_ sequence: Int, timestamp: Int, ssrc: UInt32 = 0x1234, payloadType: UInt8) -> [UInt8] {
        RTPPacket(payloadType: payloadType, sequenceNumber: UInt16(truncatingIfNeeded: sequence),
                  timestamp: UInt32(truncatingIfNeeded: timestamp), ssrc: ssrc, payload: [1, 2, 3, 4]).serialized()
    }

    static func stream(_ kind: StreamKind, payloadType: UInt8) -> InboundStream {
        InboundStream(kind: kind, config: ReceiveConfig(receives: true, payloadType: payloadType, suite: .aesCM128HMACSHA1_80, key: nil, feedback: nil))
    }

    /// The RFC's floating-point form over (timestamp in ticks, arrival in milliseconds) pairs, in milliseconds.
    static func reference(_ packets: [(ticks: Int, arrivalMillis: Double)], clockRate: Double) -> Double {
        var jitter = 0.0
        for i in 1..<packets.count {
            let d = (packets[i].arrivalMillis - packets[i - 1].arrivalMillis) - Double(packets[i].ticks - packets[i - 1].ticks) / clockRate * 1000
            jitter += (abs(d) - jitter) / 16
        }
        return jitter
    }

    @Test func audioJitterIsRFC3550sFigureInMilliseconds() throws {
        let stream = Self.stream(.audio, payloadType: 111)
        // 20 ms Opus packets (960 ticks at 48 kHz), each late by a known amount.
        let late: [Double] = [0, 0, 4, 0, 12, 1, 0, 7, 0, 0, 25, 3, 0, 0, 9, 0, 2, 0, 0, 16]
        let start: UInt64 = 5_000_000_000_000
        var packets: [(ticks: Int, arrivalMillis: Double)] = []
        for (i, lateness) in late.enumerated() {
            let ticks = 1_000 + i * 960
            let arrival = Double(i * 20) + lateness
            #expect(stream.receive(Self.datagram(100 + i, timestamp: ticks, payloadType: 111), now: start + UInt64(arrival * 1_000_000)) != nil)
            if i == 0 { #expect(stream.statistics.jitterMilliseconds == nil, "one packet has no spacing") }
            // The first packet only starts the source's probation (RFC 3550 A.1): jitter from the second on.
            if i >= 1 { packets.append((ticks, arrival)) }
        }
        let expected = Self.reference(packets, clockRate: 48_000)
        let measured = try #require(stream.statistics.jitterMilliseconds)
        #expect(expected > 3, "the lateness above makes jitter of a few milliseconds")
        // The ×16 fixed point of RFC 3550's code, in whole ticks: within a few ticks (48 per ms).
        #expect(abs(measured - expected) < 0.1, "measured \(measured) ms, RFC 3550 \(expected) ms")
    }

    @Test func evenlySpacedVideoHasNoJitterAndAFrameLateHasIt() throws {
        let stream = Self.stream(.video, payloadType: 96)
        let start: UInt64 = 1_000_000_000
        // 25 frames a second (3600 ticks at 90 kHz), three packets a frame, paced 5 ms apart by the
        // sender: the frames' first packets make the jitter (the pacing is the sender's, not the path's).
        var firstPackets: [(ticks: Int, arrivalMillis: Double)] = []
        var sequence = 7
        func frame(_ frame: Int, late: Double) {
            for packet in 0..<3 {
                let ticks = frame * 3600
                let arrival = Double(frame * 40) + late + Double(packet * 5)
                _ = stream.receive(Self.datagram(sequence, timestamp: ticks, payloadType: 96), now: start + UInt64(arrival * 1_000_000))
                // The first datagram starts the probation (RFC 3550 A.1); the second is the frame's first counted.
                if sequence == 8 || (sequence > 8 && packet == 0) { firstPackets.append((ticks, arrival)) }
                sequence += 1
            }
        }
        for n in 0..<30 { frame(n, late: 0) }
        // (The first counted packet is a frame's second, 5 ms in: one 5 ms step, long decayed.)
        #expect(try #require(stream.statistics.jitterMilliseconds) < 0.1)
        #expect(abs(try #require(stream.statistics.jitterMilliseconds) - Self.reference(firstPackets, clockRate: 90_000)) < 0.05)
        // One frame 30 ms late, then on time again.
        for n in 30..<40 { frame(n, late: n == 30 ? 30 : 0) }
        let expected = Self.reference(firstPackets, clockRate: 90_000)
        let measured = try #require(stream.statistics.jitterMilliseconds)
        // 30 ms late and back: two spacings off by 30 ms, J ≈ 2·30/16 ms decaying by 15/16 a frame.
        #expect(expected > 1.5)
        #expect(abs(measured - expected) < 0.1, "measured \(measured) ms, RFC 3550 \(expected) ms")
    }

    @Test func packetsOfAnotherPayloadTypeDoNotCount() {
        let stream = Self.stream(.audio, payloadType: 111)
        // Comfort noise or DTMF on another payload type: not the stream's media.
        for i in 0..<10 { _ = stream.receive(Self.datagram(i, timestamp: i * 960, payloadType: 13), now: UInt64(i) * 90_000_000) }
        #expect(stream.statistics.packets == 10)
        #expect(stream.statistics.jitterMilliseconds == nil)
    }
}
