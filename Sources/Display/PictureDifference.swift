/// How far two pictures of the same size are apart: for the golden screens, and for comparing the
/// virtual board's screendump with the off-screen rendering.
public struct PictureDifference {
    /// Mean absolute difference per colour channel (0–255), over all pixels.
    public let meanAbsoluteDifference: Double
    /// Fraction (0–1) of pixels with some channel off by more than `strongThreshold`.
    public let strongDifferenceFraction: Double
    public let strongThreshold: Int
    /// False when the sizes differ (then the pictures count as entirely different).
    public let sizesMatch: Bool
    /// Red where a pixel is strongly off, yellow where off at all, else a darkened copy of `actual`.
    public let differencePicture: Surface?

    public init(actual: Surface, reference: Surface, strongThreshold: Int = 32) {
        self.strongThreshold = strongThreshold
        guard actual.width == reference.width, actual.height == reference.height else {
            (meanAbsoluteDifference, strongDifferenceFraction, sizesMatch, differencePicture) = (255, 1, false, nil)
            return
        }
        let width = actual.width, height = actual.height
        var total = 0, strong = 0
        var marks = [UInt32](repeating: 0, count: width * height)
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
                        if largest > strongThreshold { strong += 1 }
                        let grey = UInt32(((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 12)
                        marks[y * width + x] = largest > strongThreshold ? 0xFF0000 : largest > 0 ? 0xFFFF00 : grey << 16 | grey << 8 | grey
                    }
                }
            }
        }
        meanAbsoluteDifference = Double(total) / Double(width * height * 3)
        strongDifferenceFraction = Double(strong) / Double(width * height)
        sizesMatch = true
        differencePicture = try? Surface(width: width, height: height, pixels: marks)
    }

    /// Whether the pictures are the same within the given tolerances.
    public func isWithin(meanAbsoluteDifference maximumMean: Double, strongDifferenceFraction maximumFraction: Double) -> Bool {
        sizesMatch && meanAbsoluteDifference <= maximumMean && strongDifferenceFraction <= maximumFraction
    }
}
