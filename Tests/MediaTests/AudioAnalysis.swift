import Foundation

/// Small measurements of 48 kHz Int16 audio for the audio tests: power, RMS, the power at one frequency
/// (Goertzel), the frequency of a tone from its zero crossings, and signal-to-noise against a reference.
enum AudioAnalysis {
    static func power(_ x: ArraySlice<Int16>) -> Double {
        guard !x.isEmpty else { return 0 }
        return x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)
    }

    static func power(_ x: [Int16]) -> Double { power(x[...]) }
    static func rms(_ x: ArraySlice<Int16>) -> Double { power(x).squareRoot() }
    static func rms(_ x: [Int16]) -> Double { rms(x[...]) }
    static func decibels(_ ratio: Double) -> Double { 10 * log10(ratio) }

    /// The mean power of the component at `frequency` (Goertzel over the whole slice): a pure tone of
    /// amplitude A gives A²/2, like `power` of the tone alone.
    static func power(at frequency: Double, in x: ArraySlice<Int16>, sampleRate: Double = 48_000) -> Double {
        let w = 2 * Double.pi * frequency / sampleRate
        let coefficient = 2 * cos(w)
        var s1 = 0.0, s2 = 0.0
        for v in x {
            let s = Double(v) + coefficient * s1 - s2
            s2 = s1
            s1 = s
        }
        let magnitude2 = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        let n = Double(x.count)
        return 2 * magnitude2 / (n * n)
    }

    /// The share of the power at `frequency`, measured over 20 ms blocks and summed: unlike one
    /// Goertzel over the whole, a phase jump between blocks (a concealed packet) does not count against it.
    static func toneShare(_ frequency: Double, in x: ArraySlice<Int16>, block: Int = 960) -> Double {
        var atTone = 0.0, total = 0.0
        var start = x.startIndex
        while start + block <= x.endIndex {
            atTone += power(at: frequency, in: x[start..<(start + block)])
            total += power(x[start..<(start + block)])
            start += block
        }
        return total > 0 ? atTone / total : 0
    }

    /// The frequency of a tone from its rising zero crossings (interpolated between samples).
    static func toneFrequency(_ x: ArraySlice<Int16>, sampleRate: Double = 48_000) -> Double {
        var crossings: [Double] = []
        var previous = x.first.map(Double.init) ?? 0
        for (offset, v) in x.dropFirst().enumerated() {
            let current = Double(v)
            if previous < 0 && current >= 0 {
                crossings.append(Double(offset) + (-previous) / (current - previous))
            }
            previous = current
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * sampleRate / (last - first)
    }

    /// Signal-to-noise of `x` against `reference` over the same samples, in dB.
    static func snr(_ x: ArraySlice<Int16>, reference: ArraySlice<Int16>) -> Double {
        precondition(x.count == reference.count)
        var signal = 0.0, noise = 0.0
        for (a, b) in zip(x, reference) {
            signal += Double(b) * Double(b)
            noise += (Double(a) - Double(b)) * (Double(a) - Double(b))
        }
        return decibels(signal / max(noise, 1))
    }

    /// A sine tone, `amplitude` a fraction of full scale.
    static func tone(_ frequency: Double, amplitude: Double, samples: Int, sampleRate: Double = 48_000) -> [Int16] {
        (0..<samples).map { Int16(amplitude * 32767 * sin(2 * Double.pi * frequency * Double($0) / sampleRate)) }
    }

    /// Something like a voice: harmonics of a pitch that glides between 110 and 230 Hz, their amplitudes
    /// falling with frequency, under a syllable envelope (about four syllables a second).
    static func speechLike(seconds: Double, sampleRate: Double = 48_000, amplitude: Double = 0.3) -> [Int16] {
        let count = Int(seconds * sampleRate)
        var phase = 0.0
        var out = [Int16](repeating: 0, count: count)
        for i in 0..<count {
            let t = Double(i) / sampleRate
            let pitch = 170 + 60 * sin(2 * Double.pi * 0.7 * t)
            phase += 2 * Double.pi * pitch / sampleRate
            var v = 0.0
            for h in 1...12 { v += sin(Double(h) * phase) / Double(h) }
            let envelope = 0.55 + 0.45 * sin(2 * Double.pi * 4.1 * t)
            out[i] = Int16(max(-32767, min(32767, amplitude * 32767 * 0.5 * envelope * v)))
        }
        return out
    }
}

/// A seeded generator (SplitMix64) so each test's losses and noise are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
