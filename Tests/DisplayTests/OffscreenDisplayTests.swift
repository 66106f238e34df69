import Display
import Foundation
import Testing

struct OffscreenDisplayTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "kioskd-offscreen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func numberedFramesAreWrittenInOrderAndReadBackAsDrawn() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let display = try OffscreenDisplay(size: ScreenSize(width: 64, height: 48), destination: .numberedFrames(directory: directory.path))
        let surface = try display.makeSurface()
        surface.fill(Colour(hex: 0x3366CC))
        try display.present(surface)
        surface.fill(Rect(x: 0, y: 0, width: 32, height: 48), Colour(hex: 0xFF0000))
        try display.present(surface)

        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["frame-000001.png", "frame-000002.png"])
        let first = try Surface.readPNG(from: directory.appending(path: "frame-000001.png").path)
        let second = try Surface.readPNG(from: directory.appending(path: "frame-000002.png").path)
        #expect(first.pixel(x: 10, y: 10) == 0x3366CC)
        #expect(second.pixel(x: 10, y: 10) == 0xFF0000 && second.pixel(x: 50, y: 10) == 0x3366CC)
    }

    @Test func aSmallerSurfaceLandsTopLeftOnABlackScreen() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "screen.png").path
        let display = try OffscreenDisplay(size: ScreenSize(width: 40, height: 30), destination: .file(path))
        let small = try Surface(width: 10, height: 10)
        small.fill(.white)
        try display.present(small)
        let written = try Surface.readPNG(from: path)
        #expect((written.width, written.height) == (40, 30))
        #expect(written.pixel(x: 5, y: 5) == 0xFFFFFF && written.pixel(x: 20, y: 20) == 0x000000)
    }

    @Test func anUnwritablePathThrowsAClearError() throws {
        let display = try OffscreenDisplay(size: ScreenSize(width: 8, height: 8), destination: .file("/nonexistent-dir/x.png"))
        let error = #expect(throws: DisplayError.self) { try display.present(try display.makeSurface()) }
        #expect(error?.description.hasPrefix("cannot write PNG /nonexistent-dir/x.png") == true)
    }

    @Test func zeroSizesAreRefused() {
        #expect(throws: DisplayError.invalidSize(width: 0, height: 10)) { try Surface(width: 0, height: 10) }
        #expect(throws: DisplayError.invalidSize(width: 0, height: 0)) {
            try OffscreenDisplay(size: ScreenSize(width: 0, height: 0), destination: .file("/tmp/x.png"))
        }
    }
}
