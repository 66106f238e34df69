import Foundation
import Media
import Synchronization
import Testing

/// The echo canceller against an echo made here: the far end (speech-like: a voice-like harmonic signal
/// plus shaped noise) comes back into the microphone 40 ms later, 6 dB down, low-pass filtered, with a
/// weaker reflection behind it and a little noise of the room.
struct EchoCancellerTests {
    static let rate = 48_000
    static let seconds = 8
    static let delay = 1_920  // 40 ms

    /// The far end: the voice-like signal plus low-passed seeded noise under the same kind of envelope.
    static func farEnd(seed: UInt64 = 1) -> [Int16] {
        let voice = AudioAnalysis.speechLike(seconds: Double(seconds), amplitude: 0.25)
        var rng = SeededGenerator(seed: seed)
        var y1 = 0.0, y2 = 0.0
        return voice.enumerated().map { i, v in
            let white = Double.random(in: -1...1, using: &rng)
            y1 = 0.8 * y1 + 0.2 * white  // two one-pole low-passes, about 1.7 kHz
            y2 = 0.8 * y2 + 0.2 * y1
            let envelope = 0.6 + 0.4 * sin(2 * Double.pi * 2.3 * Double(i) / Double(rate))
            return Int16(max(-32767, min(32767, Double(v) + 0.5 * 32767 * envelope * y2 * 4)))
        }
    }

    /// What the microphone hears of `far`: the room's echo of it, plus `near` (the customer), plus noise.
    static func microphone(far: [Int16], near: [Int16]? = nil, seed: UInt64 = 2) -> [Int16] {
        var rng = SeededGenerator(seed: seed)
        func f(_ i: Int) -> Double { i >= 0 && i < far.count ? Double(far[i]) : 0 }
        return far.indices.map { n in
            let direct = 0.5 * (0.6 * f(n - delay) + 0.3 * f(n - delay - 1) + 0.1 * f(n - delay - 2))
            let reflection = 0.08 * f(n - delay - 1_440)  // 30 ms later, off a wall
            let room = Double.random(in: -30...30, using: &rng)
            let customer = near.map { Double($0[n]) } ?? 0
            return Int16(max(-32767, min(32767, direct + reflection + room + customer)))
        }
    }

    /// Echo return loss enhancement over the last three seconds, in dB.
    static func erle(microphone: [Int16], output: [Int16]) -> Double {
        let tail = (seconds - 3) * rate
        return AudioAnalysis.decibels(AudioAnalysis.power(microphone[tail...]) / AudioAnalysis.power(output[tail...]))
    }

    static func run(_ canceller: EchoCanceller, near: [Int16], far: [Int16]) -> [Int16] {
        let block = canceller.frameSize * 2
        var out: [Int16] = []
        for start in stride(from: 0, to: near.count, by: block) {
            out += canceller.cancel(near: Array(near[start..<(start + block)]), far: Array(far[start..<(start + block)]))
        }
        return out
    }

    @Test func theEchoIsCancelledByTwentyDecibelsOrMore() {
        let far = Self.farEnd()
        let mic = Self.microphone(far: far)
        let full = Self.erle(microphone: mic, output: Self.run(EchoCanceller(), near: mic, far: far))
        var linearOnly = EchoCanceller.Settings()
        linearOnly.noiseSuppressionDB = nil
        linearOnly.echoSuppressionDB = nil
        let linear = Self.erle(microphone: mic, output: Self.run(EchoCanceller(settings: linearOnly), near: mic, far: far))
        print("EchoCanceller: ERLE over the last 3 of 8 s: \(String(format: "%.1f", full)) dB with residual echo and noise suppression, \(String(format: "%.1f", linear)) dB from the adaptive filter alone")
        #expect(full >= 20, "ERLE \(full) dB")
        #expect(linear >= 10, "linear ERLE \(linear) dB")
    }

    /// The two-thread shape: the speaker hands over 10 ms blocks as it plays them, the microphone brings
    /// 20 ms blocks; the far end waits in between. Interleaved here as the devices would interleave them.
    @Test func playbackAndCaptureFromTheirOwnSidesCancelTheEcho() {
        let far = Self.farEnd(seed: 3)
        let mic = Self.microphone(far: far, seed: 4)
        let canceller = EchoCanceller()
        var out: [Int16] = []
        for start in stride(from: 0, to: mic.count, by: 960) {
            canceller.playback(Array(far[start..<(start + 480)]))
            canceller.playback(Array(far[(start + 480)..<(start + 960)]))
            out += canceller.capture(Array(mic[start..<(start + 960)]))
        }
        #expect(out.count == mic.count)
        // The first block was paired with the far end less its 10 ms margin, and never again.
        #expect(canceller.farEndMissing == 480 && canceller.farEndDropped == 0 && canceller.farEndPairings == 1)
        let erle = Self.erle(microphone: mic, output: out)
        #expect(erle >= 20, "ERLE \(erle) dB")
    }

    /// The speaker's thread is held up for 40 ms now and then (more than the margin): the capture side
    /// finds far end missing, and the pairing must hold when the late blocks come.
    @Test func aLateSpeakerDoesNotShiftTheFarEnd() {
        let far = Self.farEnd(seed: 14)
        let mic = Self.microphone(far: far, seed: 15)
        let canceller = EchoCanceller()
        var out: [Int16] = []
        var heldBack: [[Int16]] = []
        for (n, start) in stride(from: 0, to: mic.count, by: 960).enumerated() {
            for half in [start, start + 480] {
                heldBack.append(Array(far[half..<(half + 480)]))
            }
            // Every second, the speaker's blocks of 40 ms come only after the capture of the next block.
            if n % 50 != 10 && n % 50 != 11 {
                for block in heldBack { canceller.playback(block) }
                heldBack = []
            }
            out += canceller.capture(Array(mic[start..<(start + 960)]))
        }
        #expect(canceller.farEndMissing > 480, "the capture side found far end missing")
        #expect(canceller.farEndPairings == 1, "the pairing held")
        // Echo of the far end that was missing cannot be cancelled; everywhere else (from 60 ms after a
        // late hand-over to the next) the filter must be as good as ever, not thrown off by a shift.
        var micPower = 0.0, outPower = 0.0
        for n in ((Self.seconds - 3) * 50)..<(Self.seconds * 50) where n % 50 >= 15 {
            let block = (n * 960)..<((n + 1) * 960)
            micPower += AudioAnalysis.power(mic[block])
            outPower += AudioAnalysis.power(out[block])
        }
        let erle = AudioAnalysis.decibels(micPower / outPower)
        let overall = Self.erle(microphone: mic, output: out)
        print("EchoCanceller: speaker late by 40 ms once a second: ERLE \(String(format: "%.1f", erle)) dB between the late hand-overs (\(String(format: "%.1f", overall)) dB over all)")
        #expect(erle >= 20, "ERLE \(erle) dB")
    }

    /// The speaker plays for a second before the microphone starts (the call's audio comes up before
    /// the capture thread): the far end piled up meanwhile must not put the reference behind its echo.
    @Test func farEndPlayedBeforeCaptureStartsDoesNotBreakTheAlignment() {
        let far = Self.farEnd(seed: 9)
        let mic = Self.microphone(far: far, seed: 10)
        let canceller = EchoCanceller()
        let head = Self.rate
        canceller.playback(Array(far[..<head]))
        #expect(canceller.farEndDropped == head - 9_600)  // the 200 ms backlog
        var out = [Int16](repeating: 0, count: head)  // the microphone was not running yet
        for start in stride(from: head, to: mic.count, by: 960) {
            canceller.playback(Array(far[start..<(start + 480)]))
            canceller.playback(Array(far[(start + 480)..<(start + 960)]))
            out += canceller.capture(Array(mic[start..<(start + 960)]))
        }
        let erle = Self.erle(microphone: mic, output: out)
        #expect(erle >= 20, "ERLE \(erle) dB")
    }

    /// The same on two real threads, each paced by the clock as its device would pace it: the speaker's
    /// every 10 ms, the microphone's every 20 ms. Their hand-overs race at every block boundary.
    @Test func twoThreadsPacedLikeTheDevicesCancelTheEcho() {
        let seconds = 5
        let far = Array(Self.farEnd(seed: 12)[..<(seconds * Self.rate)])
        let mic = Array(Self.microphone(far: far, seed: 13)[..<(seconds * Self.rate)])
        let canceller = EchoCanceller()
        let output = Mutex<[Int16]>([])
        let start = MonotonicClock.nowNanos() + 20_000_000
        let speaker = BlockingThread {
            for (n, from) in stride(from: 0, to: far.count, by: 480).enumerated() {
                MonotonicClock.sleep(until: start + UInt64(n) * 10_000_000)
                canceller.playback(Array(far[from..<(from + 480)]))
            }
        }
        let microphone = BlockingThread {
            for (n, from) in stride(from: 0, to: mic.count, by: 960).enumerated() {
                // A block is read once it has been captured, 20 ms after it began.
                MonotonicClock.sleep(until: start + UInt64(n + 1) * 20_000_000)
                let cleaned = canceller.capture(Array(mic[from..<(from + 960)]))
                output.withLock { $0 += cleaned }
            }
        }
        speaker.join()
        microphone.join()
        let out = output.withLock { $0 }
        #expect(out.count == mic.count)
        let tail = (seconds - 2) * Self.rate
        let erle = AudioAnalysis.decibels(AudioAnalysis.power(mic[tail...]) / AudioAnalysis.power(out[tail...]))
        print("EchoCanceller: two paced threads: ERLE \(String(format: "%.1f", erle)) dB over the last 2 s; far end dropped \(canceller.farEndDropped), missing \(canceller.farEndMissing) samples")
        #expect(erle >= 20, "ERLE \(erle) dB")
    }

    /// Double talk: the customer speaks (a 1 kHz tone in syllable-like bursts) while the agent's voice
    /// echoes. The echo goes, the customer's voice stays.
    @Test func theCustomersVoiceSurvivesDoubleTalk() {
        let far = Self.farEnd(seed: 5)
        let burst = AudioAnalysis.tone(1_000, amplitude: 0.1, samples: far.count)
        let near: [Int16] = burst.enumerated().map { i, v in
            // Silent for the first 5 s (the canceller converges on the echo alone), then 300 ms on, 200 ms off.
            i >= 5 * Self.rate && (i % 24_000) < 14_400 ? v : 0
        }
        let mic = Self.microphone(far: far, near: near, seed: 6)
        let out = Self.run(EchoCanceller(), near: mic, far: far)

        // The tone's power in the output against the tone alone, over the bursts of the last 3 s (each
        // burst's first 50 ms left out: the suppressor's onset).
        let echoOnly = Self.microphone(far: far, seed: 6)
        var kept = 0.0, sent = 0.0, echoAtTone = 0.0
        for start in stride(from: 5 * Self.rate, to: far.count, by: 24_000) {
            let range = (start + 2_400)..<(start + 14_400)
            kept += AudioAnalysis.power(at: 1_000, in: out[range])
            sent += AudioAnalysis.power(at: 1_000, in: near[range])
            echoAtTone += AudioAnalysis.power(at: 1_000, in: echoOnly[range])
        }
        let survived = kept / sent
        print("EchoCanceller: double talk keeps \(String(format: "%.1f", AudioAnalysis.decibels(survived))) dB of the customer's tone (echo at 1 kHz was \(String(format: "%.1f", AudioAnalysis.decibels(echoAtTone / sent))) dB of it)")
        #expect(survived > 0.5, "the near-end tone kept \(AudioAnalysis.decibels(survived)) dB")
        #expect(survived < 2, "more tone out than in: \(AudioAnalysis.decibels(survived)) dB")
    }

    /// No far end at all (the speaker silent, nothing played yet): the customer's voice passes.
    @Test func withoutFarEndTheVoicePasses() throws {
        let canceller = EchoCanceller()
        let voice = AudioAnalysis.speechLike(seconds: 4, amplitude: 0.2)
        var out: [Int16] = []
        for start in stride(from: 0, to: voice.count, by: 960) { out += canceller.capture(Array(voice[start..<(start + 960)])) }
        #expect(canceller.farEndMissing == out.count)
        let level = AudioAnalysis.decibels(AudioAnalysis.power(out[96_000...]) / AudioAnalysis.power(voice[96_000...]))
        print("EchoCanceller: the voice alone comes through at \(String(format: "%.1f", level)) dB")
        #expect(abs(level) < 3, "the voice came through at \(level) dB")
    }

    /// A steady noise in the room (a fan) with no one talking is what the noise suppressor takes out.
    @Test func steadyRoomNoiseIsSuppressed() throws {
        var rng = SeededGenerator(seed: 8)
        var y = 0.0
        let fan: [Int16] = (0..<(4 * Self.rate)).map { _ in
            y = 0.9 * y + 0.1 * Double.random(in: -1...1, using: &rng)
            return Int16(y * 3_000)
        }
        let source = EchoCancelledAudioSource(source: ToneSource(frequency: 1_000, amplitude: 0, paced: false), canceller: EchoCanceller())
        #expect(source.name.hasSuffix("echo cancelled"))
        let out = Self.run(source.canceller, near: fan, far: [Int16](repeating: 0, count: fan.count))
        let reduction = AudioAnalysis.decibels(AudioAnalysis.power(fan[96_000...]) / AudioAnalysis.power(out[96_000...]))
        print("EchoCanceller: steady noise reduced by \(String(format: "%.1f", reduction)) dB")
        #expect(reduction > 6, "noise reduced by \(reduction) dB")
    }

    /// The wrapper the send pipeline uses in place of the microphone: its blocks come out cleaned, and
    /// with nothing played they come out whole.
    @Test func theCancelledSourceTakesItsBlocksFromTheMicrophone() throws {
        let canceller = EchoCanceller()
        let source = EchoCancelledAudioSource(source: ToneSource(frequency: 1_000, amplitude: 0.2, paced: false), canceller: canceller)
        #expect(source.sampleRate == 48_000 && source.channels == 1)
        for _ in 0..<10 { #expect(try source.nextBlock(samplesPerChannel: 960).count == 960) }
        #expect(canceller.farEndMissing == 9_600)
    }
}
