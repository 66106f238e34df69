import Media
import Testing

struct SyntheticCameraTests {
    let camera = SyntheticCamera(size: FrameSize(width: 320, height: 240), framesPerSecond: 30, paced: false)

    @Test func framesAreI420OfTheConfiguredSize() {
        let frame = camera.frame(number: 0)
        #expect(frame.width == 320 && frame.height == 240)
        #expect(frame.bytes.count == 320 * 240 * 3 / 2)
    }

    @Test func theSameNumberGivesTheSamePicture() {
        #expect(camera.frame(number: 17).bytes == camera.frame(number: 17).bytes)
    }

    @Test func thePictureMovesAndTheCounterChanges() {
        let a = camera.frame(number: 1).bytes, b = camera.frame(number: 2).bytes
        let changed = zip(a, b).filter { $0 != $1 }.count
        #expect(changed > 320 * 240 / 10, "only \(changed) bytes differ")
        // The counter panel (top left) differs between 1 and 2 even where the background would not.
        let panel = { (bytes: [UInt8]) in (8..<52).flatMap { y in (8..<160).map { x in bytes[y * 320 + x] } } }
        let panelChanges = zip(panel(a), panel(b)).filter { $0 != $1 }.count
        #expect(panelChanges > 50, "\(panelChanges) counter pixels changed")
    }

    @Test func theCounterIsDrawnInSevenSegments() {
        // Frame 8 lights every segment of the last digit; frame 1 only the right-hand two: more bright pixels.
        let bright = { (n: Int) in camera.frame(number: n).bytes[0..<(320 * 60)].filter { $0 == 235 }.count }
        #expect(bright(888_888) > bright(111_111))
    }

    @Test func nextFrameCountsUp() throws {
        let live = SyntheticCamera(size: FrameSize(width: 64, height: 48), framesPerSecond: 30, paced: false)
        let first = try #require(try live.nextFrame(timeoutMillis: 100))
        let second = try #require(try live.nextFrame(timeoutMillis: 100))
        #expect(first.sequence == 0 && second.sequence == 1)
        #expect(second.bytes == live.frame(number: 1).bytes)
    }

    @Test(arguments: ["640x480", "1280x720", "16x16"])
    func sizesParse(text: String) {
        #expect(FrameSize(parsing: text)?.description == text)
    }

    @Test(arguments: ["640", "641x480", "0x0", "x480", "640x480x3", "99999x480", "-640x480"])
    func badSizesAreRejected(text: String) {
        #expect(FrameSize(parsing: text) == nil)
    }
}
