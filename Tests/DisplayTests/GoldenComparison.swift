import Display
import Foundation

/// Compares a rendered surface with a reference PNG.
///
/// Tolerance: mean absolute difference ≤ 1.0 per channel (0–255) and at most 0.5 % of pixels with a
/// channel off by more than 32. Another FreeType/pango/pixman build shifts antialiased glyph edges by a
/// little on many pixels (mean well under 1) and by a lot on a few; any real change to a screen — a
/// moved, resized, recoloured or re-worded element — moves far more than 0.5 % of a 1280×800 picture
/// (one line of body text alone is about 1 %).
struct GoldenComparison {
    static let maximumMeanDifference = 1.0
    static let maximumStrongDifferenceFraction = 0.005
    static let strongDifference = 32

    var meanDifference: Double
    var strongDifferenceFraction: Double
    var sizesMatch: Bool
    /// Red where a channel is off by more than 32, yellow where off at all, else a dark copy of the actual picture.
    var diffPicture: Surface?

    var matches: Bool {
        sizesMatch && meanDifference <= Self.maximumMeanDifference && strongDifferenceFraction <= Self.maximumStrongDifferenceFraction
    }

    init(actual: Surface, reference: Surface) {
        guard actual.width == reference.width, actual.height == reference.height else {
            (meanDifference, strongDifferenceFraction, sizesMatch, diffPicture) = (.infinity, 1, false, nil)
            return
        }
        var total = 0, strong = 0
        let width = actual.width, height = actual.height
        var diffPixels = [UInt32](repeating: 0, count: width * height)
        actual.withPixels { a, aStride in
            reference.withPixels { r, rStride in
                for y in 0..<height {
                    for x in 0..<width {
                        let p = a.load(fromByteOffset: y * aStride + x * 4, as: UInt32.self)
                        let q = r.load(fromByteOffset: y * rStride + x * 4, as: UInt32.self)
                        let blue = abs(Int(p & 0xFF) - Int(q & 0xFF))
                        let green = abs(Int(p >> 8 & 0xFF) - Int(q >> 8 & 0xFF))
                        let red = abs(Int(p >> 16 & 0xFF) - Int(q >> 16 & 0xFF))
                        total += red + green + blue
                        let largest = max(red, green, blue)
                        if largest > Self.strongDifference { strong += 1 }
                        do {
                            let grey = UInt32(((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3 / 4)
                            diffPixels[y * width + x] = largest > Self.strongDifference ? 0xFF0000
                                : largest > 0 ? 0xFFFF00 : grey << 16 | grey << 8 | grey
                        }
                    }
                }
            }
        }
        meanDifference = Double(total) / Double(width * height * 3)
        strongDifferenceFraction = Double(strong) / Double(width * height)
        sizesMatch = true
        diffPicture = try? Surface(width: width, height: height, pixels: diffPixels)
    }
}
