import Display
import Testing

/// I420 pictures drawn into the screen: letterboxed, colours where the bars are, bad frames refused.
struct VideoScalerTests {
    func channels(_ pixel: UInt32) -> (r: Int, g: Int, b: Int) {
        (Int(pixel >> 16 & 0xFF), Int(pixel >> 8 & 0xFF), Int(pixel & 0xFF))
    }

    @Test func a16by9PictureIsLetterboxedInALandscapeScreenWithItsColoursInPlace() throws {
        let surface = try Surface(width: 1280, height: 800)
        surface.fill(.white)
        let drawn = VideoScaler().draw(.colourBars(width: 640, height: 360), into: surface, fitting: surface.bounds)
        #expect(drawn == Rect(x: 0, y: 40, width: 1280, height: 720))
        #expect(surface.pixel(x: 640, y: 10) == 0 && surface.pixel(x: 640, y: 790) == 0)  // black bars
        let white = channels(surface.pixel(x: 90, y: 200))
        #expect(white.r > 240 && white.g > 240 && white.b > 240)
        let red = channels(surface.pixel(x: 1280 * 11 / 14, y: 200))  // the sixth of seven bars
        #expect(red.r > 200 && red.g < 40 && red.b < 40)
        let blue = channels(surface.pixel(x: 1250, y: 200))
        #expect(blue.b > 200 && blue.r < 40 && blue.g < 40)
    }

    @Test func inAPortraitRectThePictureIsCentredVertically() throws {
        let surface = try Surface(width: 400, height: 640)
        let rect = Rect(x: 0, y: 0, width: 400, height: 640)
        let drawn = VideoScaler().draw(.colourBars(width: 320, height: 180), into: surface, fitting: rect, background: Colour(hex: 0x102030))
        #expect(drawn == Rect(x: 0, y: 208, width: 400, height: 225))  // (640 − 225) / 2 = 207.5, rounded
        #expect(surface.pixel(x: 200, y: 100) == 0x102030)
    }

    @Test func oddSizesAndRectsOutsideTheSurfaceAreClampedNotCrashed() throws {
        let surface = try Surface(width: 100, height: 80)
        let scaler = VideoScaler()
        let odd = try I420Image(width: 3, height: 3, bytes: [UInt8](repeating: 128, count: 17))
        #expect(scaler.draw(odd, into: surface, fitting: Rect(x: 90, y: 70, width: 50, height: 50)).width <= 10)
        #expect(scaler.draw(odd, into: surface, fitting: Rect(x: 500, y: 500, width: 50, height: 50)).isEmpty)
        #expect(scaler.draw(odd, into: surface, fitting: Rect(x: 10, y: 10, width: 0, height: 40)).isEmpty)
        #expect(scaler.draw(odd, into: surface, fitting: Rect(x: .nan, y: 0, width: 10, height: 10)).isEmpty)
    }

    @Test func aFrameWhoseByteCountDoesNotMatchIsRefused() {
        #expect(throws: DisplayError.frameSizeMismatch(width: 4, height: 4, expected: 24, actual: 10)) {
            try I420Image(width: 4, height: 4, bytes: [UInt8](repeating: 0, count: 10))
        }
        #expect(throws: DisplayError.invalidSize(width: 0, height: 4)) { try I420Image(width: 0, height: 4, bytes: []) }
        #expect(I420Image.byteCount(width: 5, height: 3) == 15 + 2 * 3 * 2)
    }
}
