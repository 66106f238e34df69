import Display

/// The golden pictures' tolerance: mean absolute difference ≤ 0.5 per channel (0–255) and at most
/// 0.05 % of pixels (about 500 of a 1280×800 screen) with a channel off by more than 32.
/// Why: another FreeType/pango/pixman build moves antialiased glyph edges by a little on many pixels
/// (the mean stays far below 0.5) and by a lot on few; text is rendered unhinted (Typesetter), so glyph
/// shapes do not snap differently. The smallest real change on the screens, another kiosk name in the
/// small header, changes 0.14 % of the pixels strongly (PictureDifferenceTests), so 0.5 % would let it
/// through. Should new font packages move more than this, re-record and look at the pictures.
enum GoldenTolerance {
    static let meanAbsoluteDifference = 0.5
    static let strongDifferenceFraction = 0.0005
    static let strongThreshold = 32

    static func accepts(_ difference: PictureDifference) -> Bool {
        difference.isWithin(meanAbsoluteDifference: meanAbsoluteDifference, strongDifferenceFraction: strongDifferenceFraction)
    }
}
