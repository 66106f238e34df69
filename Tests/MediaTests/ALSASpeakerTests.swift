import Foundation
import Media
import Synchronization
import Testing

/// The speaker on this machine, which has no sound card: ALSA's own `file` plugin (in libasound's
/// standard configuration) writes what is played to a raw file, over its `null` device. That device does
/// not pace its writer, so the speaker's clock pacing is what keeps the file's length honest.
@Suite(.serialized)
struct ALSASpeakerTests {
    static let rate = 48_000
    /// This machine is shared with compilers and other tests, whose load can hold the feeding thread up
    /// longer than a kiosk's dedicated receive thread is; the queue is given more cushion than the default
    /// so these tests measure the speaker, not the scheduler.
    static let resumeMilliseconds = 100

    /// A fresh raw file path and the ALSA device that plays into it.
    static func fileDevice(_ name: String) -> (device: String, path: String) {
        let path = NSTemporaryDirectory() + "kioskd-speaker-\(name)-\(getpid()).raw"
        try? FileManager.default.removeItem(atPath: path)
        return ("file:'\(path)',raw", path)
    }

    static func samples(in path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Hands `samples` to the speaker in 20 ms blocks at the pace a receive thread would.
    static func feed(_ speaker: ALSASpeaker, _ samples: [Int16]) {
        let start = MonotonicClock.nowNanos()
        for (n, from) in stride(from: 0, to: samples.count, by: 960).enumerated() {
            MonotonicClock.sleep(until: start + UInt64(n) * 20_000_000)
            speaker.play(Array(samples[from..<min(from + 960, samples.count)]))
        }
    }

    /// The indices of samples louder than a quiet floor.
    static func audible(_ pcm: [Int16]) -> [Int] { pcm.indices.filter { abs(Int(pcm[$0])) > 100 } }

    /// Where a sine that starts at phase 0 begins in `pcm`: silence is written as exact zeros, and the
    /// sine's own first sample is zero, so it is one before the first sample that is not.
    static func sineStart(_ pcm: [Int16]) -> Int? { pcm.firstIndex { $0 != 0 }.map { $0 - 1 } }

    @Test func aToneComesOutWithItsFrequencyAndDuration() throws {
        let (device, path) = Self.fileDevice("tone")
        let tapped = Mutex<[Int16]>([])
        let speaker = try ALSASpeaker(device: device, resumeMilliseconds: Self.resumeMilliseconds, playbackTap: { block in tapped.withLock { $0 += block } })
        #expect(speaker.periodFrames == 480 && speaker.bufferFrames == 1_920)
        let tone = AudioAnalysis.tone(1_000, amplitude: 0.25, samples: Self.rate)
        let began = MonotonicClock.nowNanos()
        speaker.start()
        Self.feed(speaker, tone)
        MonotonicClock.sleep(until: MonotonicClock.nowNanos() + 200_000_000)
        speaker.stop()
        let elapsed = Double(MonotonicClock.nowNanos() - began) / 1e9

        let pcm = try Self.samples(in: path)
        let stats = speaker.statistics
        #expect(stats.framesPlayed == tone.count)
        #expect(stats.underruns == 0 && stats.failure == nil && stats.framesDropped == 0)
        #expect(tapped.withLock { $0 } == pcm, "the tap saw exactly what the device got")
        // The file runs in real time: its length is the time the speaker ran, to within a buffer and a period.
        let seconds = Double(pcm.count) / Double(Self.rate)
        #expect(abs(seconds - elapsed) < 0.06, "\(seconds) s written in \(elapsed) s")
        // The tone: one second of it, in one piece, at 1 kHz and its own level, then silence.
        let start = try #require(Self.sineStart(pcm))
        try #require(start + tone.count <= pcm.count)
        let played = pcm[start..<(start + tone.count)]
        #expect(abs(AudioAnalysis.toneFrequency(played) - 1_000) < 0.5)
        #expect(abs(AudioAnalysis.decibels(AudioAnalysis.power(played) / AudioAnalysis.power(tone))) < 0.1)
        #expect(Array(played) == tone, "the samples are the ones handed over, unchanged and in one piece")
        #expect(pcm[(start + tone.count)...].allSatisfy { $0 == 0 })
    }

    /// The agent's side goes quiet for half a second (a network stall): the speaker keeps writing, silence
    /// in the gap, and the voice resumes when packets come again.
    @Test func aStallInTheFeedIsFilledWithSilenceAndPlaybackResumes() throws {
        let (device, path) = Self.fileDevice("stall")
        let speaker = try ALSASpeaker(device: device, resumeMilliseconds: Self.resumeMilliseconds)
        let tone = AudioAnalysis.tone(1_000, amplitude: 0.25, samples: 14_400)  // 300 ms
        let began = MonotonicClock.nowNanos()
        speaker.start()
        Self.feed(speaker, tone)
        MonotonicClock.sleep(until: MonotonicClock.nowNanos() + 500_000_000)
        let silenceDuringStall = speaker.statistics.silenceFrames
        Self.feed(speaker, tone)
        MonotonicClock.sleep(until: MonotonicClock.nowNanos() + 200_000_000)
        speaker.stop()
        let elapsed = Double(MonotonicClock.nowNanos() - began) / 1e9

        let pcm = try Self.samples(in: path)
        let stats = speaker.statistics
        #expect(stats.framesPlayed == 2 * tone.count)
        #expect(stats.starvations >= 1)
        #expect(stats.underruns == 0, "the device never ran dry: silence was written instead")
        #expect(silenceDuringStall >= 14_400, "silence written during the stall: \(silenceDuringStall) frames")
        #expect(abs(Double(pcm.count) / Double(Self.rate) - elapsed) < 0.06)

        // Two bursts of tone in the file with about half a second of silence between.
        let loud = Self.audible(pcm)
        let gaps = zip(loud, loud.dropFirst()).filter { $1 - $0 > 480 }
        #expect(gaps.count == 1, "gaps in the tone: \(gaps.map { $1 - $0 })")
        if let gap = gaps.first {
            let stall = Double(gap.1 - gap.0) / Double(Self.rate)
            #expect(stall > 0.4 && stall < 0.6, "a gap of \(stall) s")
            #expect(abs(AudioAnalysis.toneFrequency(pcm[gap.1..<(gap.1 + 9_600)]) - 1_000) < 1, "the tone after the stall")
        }
    }

    /// More audio than the queue holds (a burst after a stall): the oldest goes, latency stays bounded.
    @Test func aBurstBeyondTheQueueDropsTheOldestAudio() throws {
        let (device, path) = Self.fileDevice("burst")
        let speaker = try ALSASpeaker(device: device, maxQueuedMilliseconds: 200)
        let tone = AudioAnalysis.tone(1_000, amplitude: 0.25, samples: Self.rate)
        speaker.play(tone)
        #expect(speaker.queuedFrames == 9_600)
        #expect(speaker.statistics.framesDropped == Self.rate - 9_600)
        speaker.start()
        MonotonicClock.sleep(until: MonotonicClock.nowNanos() + 400_000_000)
        speaker.stop()
        #expect(speaker.statistics.framesPlayed == 9_600)
        let pcm = try Self.samples(in: path)
        // What is heard is the newest 200 ms (the tone's phase is 0 where the queue cut it), then silence.
        let start = try #require(Self.sineStart(pcm))
        try #require(start + 9_600 <= pcm.count)
        #expect(Array(pcm[start..<(start + 9_600)]) == Array(tone[(Self.rate - 9_600)...]))
        #expect(pcm[(start + 9_600)...].allSatisfy { $0 == 0 })
    }

    /// The receive path as the call will run it: the agent's Opus packets (5 % of them lost), the
    /// decoder filling the gaps, the speaker playing the result.
    @Test func theAgentsPacketsComeOutOfTheSpeaker() throws {
        let (device, path) = Self.fileDevice("voice")
        let sent = AudioAnalysis.tone(440, amplitude: 0.3, samples: Self.rate)
        let packets = try OpusDecoderTests.packets(of: sent)
        let lost = OpusDecoderTests.seededLoss(count: packets.count, percent: 5, seed: 11)
        #expect(!lost.isEmpty)
        let decoder = try OpusDecoder()
        let speaker = try ALSASpeaker(device: device, resumeMilliseconds: Self.resumeMilliseconds)
        speaker.start()
        let start = MonotonicClock.nowNanos()
        var gap = 0
        for (n, packet) in packets.enumerated() {
            MonotonicClock.sleep(until: start + UInt64(n) * 20_000_000)
            if lost.contains(n) { gap += 1; continue }
            speaker.play(decoder.receive(packet, lostBefore: gap))
            gap = 0
        }
        // Until the last packet, the queue never ran dry: a lost packet's concealment came in time.
        #expect(speaker.statistics.starvations == 0)
        MonotonicClock.sleep(until: MonotonicClock.nowNanos() + 200_000_000)
        speaker.stop()
        #expect(speaker.statistics.framesPlayed == sent.count)
        #expect(speaker.statistics.starvations == 1, "the end of the voice")
        let pcm = try Self.samples(in: path)
        let first = try #require(pcm.firstIndex { $0 != 0 })
        let voice = pcm[first..<min(first + sent.count, pcm.count)]
        let settled = voice[(first + 4_800)...]
        print("receive path: \(String(format: "%.1f", AudioAnalysis.toneFrequency(settled))) Hz, \(String(format: "%.2f", AudioAnalysis.toneShare(440, in: settled))) of the power at 440 Hz, \(speaker.statistics.starvations) starvations")
        #expect(abs(AudioAnalysis.toneFrequency(settled) - 440) < 2)
        #expect(AudioAnalysis.toneShare(440, in: settled) > 0.9)
        #expect(decoder.statistics.decoded == packets.count - lost.count)
        #expect(decoder.statistics.recoveredByFEC + decoder.statistics.concealed == lost.count)
        let level = AudioAnalysis.decibels(AudioAnalysis.power(voice[(first + 4_800)...]) / AudioAnalysis.power(sent[4_800...]))
        #expect(abs(level) < 1.5, "level \(level) dB")
    }

    @Test func aMissingDeviceIsNamed() {
        #expect {
            _ = try ALSASpeaker(device: "hw:7,0")
        } throws: { error in
            guard let error = error as? PlaybackError, case let .deviceMissing(device, _) = error else { return false }
            return device == "hw:7,0" && "\(error)".hasPrefix("speaker hw:7,0: cannot open")
        }
        #expect(throws: PlaybackError.self) { _ = try ALSASpeaker(device: "no-such-pcm") }
    }
}
