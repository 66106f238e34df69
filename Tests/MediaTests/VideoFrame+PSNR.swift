import Foundation
import Media

extension VideoFrame {
    /// Luma PSNR of `a` against `b` (same size), in dB: how close a decoded picture is to what was sent.
    static func lumaPSNR(_ a: VideoFrame, _ b: VideoFrame) -> Double {
        var sum = 0.0
        for i in 0..<a.lumaCount {
            let d = Double(Int(a.bytes[i]) - Int(b.bytes[i]))
            sum += d * d
        }
        return 10 * log10(255 * 255 / max(sum / Double(a.lumaCount), 1e-9))
    }
}
