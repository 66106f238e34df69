import Foundation
import Media

/// Measures what a receiver decoded: picture fidelity and the tone's frequency and level.
enum SignalAnalysis {
    /// Luma PSNR in dB between two I420 pictures of the same size (infinity when identical).
    static func lumaPSNR(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, lumaCount: Int) -> Double {
        var sum = 0.0
        var ia = a.startIndex, ib = b.startIndex
        for _ in 0..<lumaCount {
            let d = Double(Int(a[ia]) - Int(b[ib]))
            sum += d * d
            ia += 1
            ib += 1
        }
        let mse = sum / Double(lumaCount)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// The tone's frequency from its zero crossings and its RMS level as a fraction of full scale.
    static func tone(_ samples: ArraySlice<Int16>, sampleRate: Double) -> (frequency: Double, rms: Double) {
        guard samples.count > 1 else { return (0, 0) }
        var crossings = 0
        var sum = 0.0
        var previous = samples.first!
        var firstCrossing: Int?, lastCrossing = 0
        for (i, s) in samples.enumerated() {
            sum += Double(s) * Double(s)
            if previous < 0 && s >= 0 {
                crossings += 1
                if firstCrossing == nil { firstCrossing = i }
                lastCrossing = i
            }
            previous = s
        }
        let rms = (sum / Double(samples.count)).squareRoot() / 32768
        guard let first = firstCrossing, crossings > 1 else { return (0, rms) }
        // Rising crossings are one per period; measured between the first and the last.
        let frequency = Double(crossings - 1) * sampleRate / Double(lastCrossing - first)
        return (frequency, rms)
    }

    /// The frequency (in `range`, by `step` Hz) with the most energy (Goertzel): unlike counting zero
    /// crossings, gaps of silence (a starved capture or playback) do not move it.
    static func strongestFrequency(_ samples: ArraySlice<Int16>, sampleRate: Double, in range: ClosedRange<Double>, step: Double = 2) -> Double {
        let window = samples.suffix(min(samples.count, Int(sampleRate)))
        let values = window.map { Double($0) }
        var best = (frequency: range.lowerBound, power: -1.0)
        for frequency in stride(from: range.lowerBound, through: range.upperBound, by: step) {
            let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
            var s1 = 0.0, s2 = 0.0
            for x in values {
                let s0 = x + coefficient * s1 - s2
                s2 = s1
                s1 = s0
            }
            let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
            if power > best.power { best = (frequency, power) }
        }
        return best.frequency
    }

    /// Reads a file of raw little-endian 16-bit samples.
    static func readS16(_ path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Int16.self)).map { Int16(littleEndian: $0) }
        }
    }

    /// Luma PSNR of each decoded I420 frame in `decoded` against the synthetic pattern frame it should
    /// be: decoded frame i is sent frame i + (frames lost so far), so each is matched against the next
    /// few candidates and the offset carried on.
    static func psnrAgainstPattern(_ decoded: [UInt8], camera: SyntheticCamera, framesSent: Int) -> [Double] {
        let size = camera.size
        let frameBytes = VideoFrame.byteCount(width: size.width, height: size.height)
        var psnrs: [Double] = []
        var offset = 0
        for i in 0..<(decoded.count / frameBytes) {
            let got = decoded[(i * frameBytes)..<((i + 1) * frameBytes)]
            var best = (psnr: -1.0, shift: 0)
            for shift in offset...max(offset, min(offset + 3, framesSent - 1 - i)) {
                let p = lumaPSNR(got, camera.frame(number: i + shift).bytes[...], lumaCount: size.width * size.height)
                if p > best.psnr { best = (p, shift) }
            }
            offset = best.shift
            psnrs.append(best.psnr)
        }
        return psnrs
    }
}
