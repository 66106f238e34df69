import COpus
import Foundation
import Media
import Testing

/// The receive side's decoder: a round trip through the kiosk's own encoder, loss that leaves no gap,
/// FEC against plain concealment, other senders' packets, and packets that are not Opus at all.
struct OpusDecoderTests {
    static let frame = OpusEncoder.samplesPerFrame

    /// `samples` cut into 20 ms packets by the kiosk's encoder (FEC on, 5 % loss expected).
    static func packets(of samples: [Int16], lossPercent: Int = 5) throws -> [[UInt8]] {
        let encoder = try OpusEncoder(expectedLossPercent: lossPercent)
        return try stride(from: 0, to: samples.count - frame + 1, by: frame).map {
            try encoder.encode(Array(samples[$0..<($0 + frame)]))
        }
    }

    /// What a receive thread does: decode what came; for a lost packet, FEC from the next one when it
    /// came (if `useFEC`), concealment otherwise.
    static func receive(_ packets: [[UInt8]], lost: Set<Int>, useFEC: Bool) throws -> (pcm: [Int16], decoder: OpusDecoder) {
        let decoder = try OpusDecoder()
        var pcm: [Int16] = []
        for i in packets.indices {
            if lost.contains(i) {
                let next = useFEC && i + 1 < packets.count && !lost.contains(i + 1) ? packets[i + 1] : nil
                pcm += decoder.decodeLost(next: next)
            } else {
                pcm += try decoder.decode(packets[i])
            }
        }
        return (pcm, decoder)
    }

    static func seededLoss(count: Int, percent: Double, seed: UInt64) -> Set<Int> {
        var rng = SeededGenerator(seed: seed)
        // The first packet always arrives (a call's first packet that is lost is not concealable).
        return Set((1..<count).filter { _ in Double.random(in: 0..<100, using: &rng) < percent })
    }

    @Test func aToneSurvivesTheRoundTrip() throws {
        let sent = AudioAnalysis.tone(440, amplitude: 0.3, samples: 100 * Self.frame)
        let (pcm, decoder) = try Self.receive(Self.packets(of: sent), lost: [], useFEC: true)
        #expect(pcm.count == sent.count)
        #expect(decoder.statistics.decoded == 100)
        let settled = pcm[4800...]  // past the codec's start-up
        let level = AudioAnalysis.decibels(AudioAnalysis.power(settled) / AudioAnalysis.power(sent[4800...]))
        #expect(abs(level) < 1, "level \(level) dB")
        #expect(abs(AudioAnalysis.toneFrequency(settled) - 440) < 1)
        let atTone = AudioAnalysis.power(at: 440, in: settled) / AudioAnalysis.power(settled)
        #expect(atTone > 0.95, "\(atTone) of the power at 440 Hz")
    }

    @Test func fivePercentLossLeavesNoGapAndKeepsTheTone() throws {
        let sent = AudioAnalysis.tone(440, amplitude: 0.3, samples: 250 * Self.frame)
        let packets = try Self.packets(of: sent)
        let lost = Self.seededLoss(count: packets.count, percent: 5, seed: 7)
        #expect(lost.count >= 6, "the seed loses \(lost.count) of \(packets.count)")
        let (pcm, decoder) = try Self.receive(packets, lost: lost, useFEC: true)
        #expect(pcm.count == sent.count, "5 s of audio in, \(pcm.count) samples out")
        #expect(decoder.statistics.decoded + decoder.statistics.recoveredByFEC + decoder.statistics.concealed == packets.count)
        let settled = pcm[4800...]
        let level = AudioAnalysis.decibels(AudioAnalysis.power(settled) / AudioAnalysis.power(sent[4800...]))
        #expect(abs(level) < 1.5, "level \(level) dB")
        #expect(abs(AudioAnalysis.toneFrequency(settled) - 440) < 2)
        // No lost frame falls silent. (On a steady tone libopus' voice detector soon hears no speech,
        // so the packets carry no FEC, and SILK conceals such a frame as noise-like, fading over the
        // frame: about 9 dB down, its pitch off by up to a tenth. The tone as a whole holds, above.)
        for i in lost {
            let frame = pcm[(i * Self.frame)..<((i + 1) * Self.frame)]
            let framePower = AudioAnalysis.power(frame) / AudioAnalysis.power(sent[4800...])
            #expect(framePower > 0.06, "lost frame \(i) at \(AudioAnalysis.decibels(framePower)) dB")
        }
    }

    /// Isolated losses of a voice-like signal, each followed by a packet that arrived: FEC rebuilds the
    /// lost frame from that packet, PLC extrapolates from the past. Both are measured against what the
    /// decoder gives with no loss at all.
    @Test func fecBeatsConcealmentOnTheLostFrames() throws {
        let sent = AudioAnalysis.speechLike(seconds: 10)
        let packets = try Self.packets(of: sent, lossPercent: 10)
        var lost = Self.seededLoss(count: packets.count - 1, percent: 10, seed: 42)
        lost = lost.filter { !lost.contains($0 - 1) && !lost.contains($0 + 1) }
        #expect(lost.count >= 20)
        let reference = try Self.receive(packets, lost: [], useFEC: false).pcm
        let withFEC = try Self.receive(packets, lost: lost, useFEC: true)
        let withPLC = try Self.receive(packets, lost: lost, useFEC: false)
        #expect(withFEC.pcm.count == reference.count && withPLC.pcm.count == reference.count)
        #expect(withFEC.decoder.statistics.recoveredByFEC == lost.count)
        #expect(withPLC.decoder.statistics.concealed == lost.count)

        func snrOfLostFrames(_ pcm: [Int16]) -> Double {
            var out: [Int16] = [], ref: [Int16] = []
            for i in lost.sorted() {
                let range = (i * Self.frame)..<((i + 1) * Self.frame)
                out += pcm[range]
                ref += reference[range]
            }
            return AudioAnalysis.snr(out[...], reference: ref[...])
        }
        let fec = snrOfLostFrames(withFEC.pcm), plc = snrOfLostFrames(withPLC.pcm)
        print("OpusDecoder: \(lost.count) lost frames of \(packets.count): SNR with FEC \(String(format: "%.1f", fec)) dB, with PLC \(String(format: "%.1f", plc)) dB")
        #expect(fec > plc + 3, "FEC \(fec) dB, PLC \(plc) dB")
    }

    /// The receive thread's call: a packet out of the jitter buffer and how many were given up on before it.
    @Test func receiveFillsTheGapBeforeAPacket() throws {
        let packets = try Self.packets(of: AudioAnalysis.speechLike(seconds: 1))
        let decoder = try OpusDecoder()
        #expect(decoder.receive(packets[0]).count == Self.frame)
        #expect(decoder.receive(packets[2], lostBefore: 1).count == 2 * Self.frame)
        #expect(decoder.statistics.recoveredByFEC == 1 && decoder.statistics.concealed == 0)
        #expect(decoder.receive(packets[6], lostBefore: 3).count == 4 * Self.frame)
        #expect(decoder.statistics.recoveredByFEC == 2 && decoder.statistics.concealed == 2)
        // A stall: only the last few packets' worth is concealed.
        #expect(decoder.receive(packets[40], lostBefore: 33).count == (OpusDecoder.maxConcealedPackets + 1) * Self.frame)
        // A packet libopus refuses is concealed in its place.
        #expect(decoder.receive([0x7B]).count == Self.frame)
        #expect(decoder.statistics.rejected == 1)
        #expect(decoder.statistics.decoded == 4)
    }

    /// After a sender restart the old stream's voice must not be concealed into the new one's gaps.
    @Test func resetForgetsTheStream() throws {
        let packets = try Self.packets(of: AudioAnalysis.tone(440, amplitude: 0.3, samples: 25 * Self.frame))
        let decoder = try OpusDecoder()
        for packet in packets { _ = try decoder.decode(packet) }
        #expect(AudioAnalysis.rms(decoder.conceal(samples: Self.frame)) > 1_000)
        for packet in packets { _ = try decoder.decode(packet) }
        decoder.reset()
        #expect(AudioAnalysis.rms(decoder.conceal(samples: Self.frame)) < 10)
        #expect(decoder.statistics.decoded == 2 * packets.count)
    }

    @Test func aStereoPacketIsDownmixedToMono() throws {
        let encoder = try OpusEncoder(channels: 2)
        let mono = AudioAnalysis.tone(440, amplitude: 0.3, samples: 50 * Self.frame)
        let decoder = try OpusDecoder()
        var pcm: [Int16] = []
        for f in 0..<50 {
            let block = mono[(f * Self.frame)..<((f + 1) * Self.frame)]
            let stereo = block.flatMap { [$0, $0] }
            pcm += try decoder.decode(encoder.encode(stereo))
        }
        #expect(pcm.count == mono.count)
        let level = AudioAnalysis.decibels(AudioAnalysis.power(pcm[4800...]) / AudioAnalysis.power(mono[4800...]))
        #expect(abs(level) < 1.5, "level \(level) dB")
        #expect(abs(AudioAnalysis.toneFrequency(pcm[4800...]) - 440) < 1)
    }

    /// A sender with 40 ms packets: a loss is concealed for 40 ms, not the 20 ms the kiosk itself sends.
    @Test func aLostPacketLastsAsLongAsTheLastOne() throws {
        var err: Int32 = 0
        let encoder = try #require(opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &err))
        defer { opus_encoder_destroy(encoder) }
        let tone = AudioAnalysis.tone(440, amplitude: 0.3, samples: 1920)
        var packet = [UInt8](repeating: 0, count: 1500)
        let n = opus_encode(encoder, tone, 1920, &packet, 1500)
        #expect(n > 0)
        packet.removeSubrange(Int(n)...)
        #expect(try OpusDecoder.samplesPerChannel(in: packet) == 1920)
        let decoder = try OpusDecoder()
        #expect(try decoder.decode(packet).count == 1920)
        #expect(decoder.lastPacketSamples == 1920)
        #expect(decoder.decodeLost().count == 1920)
        #expect(decoder.decodeLost(next: packet).count == 1920)
    }

    @Test func badPacketsAreRefusedAndTheDecoderGoesOn() throws {
        let decoder = try OpusDecoder()
        let good = try Self.packets(of: AudioAnalysis.tone(440, amplitude: 0.3, samples: 2 * Self.frame))
        #expect(throws: OpusDecoder.DecoderError.emptyPacket) { try decoder.decode([]) }
        #expect(throws: OpusDecoder.DecoderError.packetTooLong(bytes: 10_000)) { try decoder.decode([UInt8](repeating: 0x78, count: 10_000)) }
        // Code 3 (several frames) without its frame count byte; code 3 claiming 48 frames of 20 ms.
        #expect(throws: OpusDecoder.DecoderError.invalidPacket(bytes: 1)) { try decoder.decode([0x7B]) }
        #expect(throws: OpusDecoder.DecoderError.invalidPacket(bytes: 3)) { try decoder.decode([0x7B, 48, 0]) }
        #expect(decoder.statistics.rejected == 4)
        #expect("\(OpusDecoder.DecoderError.packetTooLong(bytes: 10_000))".contains("10000 bytes"))

        // Random bytes: each is refused or decodes to whole 2.5 ms steps; nothing crashes.
        var rng = SeededGenerator(seed: 99)
        var refused = 0
        for _ in 0..<2000 {
            let garbage = (0..<Int.random(in: 1...400, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do {
                let pcm = try decoder.decode(garbage)
                #expect(pcm.count % 120 == 0 && pcm.count <= OpusDecoder.maxSamplesPerPacket)
            } catch {
                refused += 1
            }
            // A lost packet whose "next" is garbage still gives audio.
            #expect(decoder.decodeLost(next: garbage).count == decoder.lastPacketSamples)
        }
        #expect(refused > 0)
        #expect(try decoder.decode(good[0]).count == Self.frame)
    }
}
