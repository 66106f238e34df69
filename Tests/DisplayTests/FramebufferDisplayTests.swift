import Display
import Foundation
import Testing

/// There is no /dev/fb0 here (the virtual board tests the real device); what can be checked is that a
/// wrong device fails with an error that says which device and why.
struct FramebufferDisplayTests {
    @Test func aMissingDeviceSaysItCannotOpenIt() {
        #expect(throws: DisplayError.cannotOpenDevice(path: "/dev/fb-does-not-exist", reason: "No such file or directory")) {
            try FramebufferDisplay(path: "/dev/fb-does-not-exist")
        }
    }

    @Test func aDeviceThatIsNotAFramebufferIsRefused() throws {
        let error = #expect(throws: DisplayError.self) { try FramebufferDisplay(path: "/dev/null") }
        guard case let .notAFramebuffer(path, reason) = error else {
            Issue.record("expected notAFramebuffer, got \(String(describing: error))")
            return
        }
        #expect(path == "/dev/null")
        #expect(reason == "Inappropriate ioctl for device")
        #expect(error?.description == "/dev/null is not a framebuffer: Inappropriate ioctl for device")
    }

    @Test func aRegularFileIsNotAFramebufferEither() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "not-a-framebuffer-\(getpid())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 4096)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DisplayError.notAFramebuffer(path: path, reason: "Inappropriate ioctl for device")) {
            try FramebufferDisplay(path: path)
        }
    }
}

/// The device-memory side of `present`, on an ordinary buffer: line length beyond the visible row is
/// left alone, what the surface does not cover is black.
struct FramebufferWriteTests {
    @Test func rowsLandLineLengthApartInTheDeviceFormat() throws {
        let surface = try Surface(width: 4, height: 2)
        surface.fill(Colour(hex: 0xFF0000))
        let size = ScreenSize(width: 4, height: 3), lineLength = 4 * 2 + 6  // RGB565 with 6 bytes of padding
        var memory = [UInt8](repeating: 0xAA, count: lineLength * 3)
        memory.withUnsafeMutableBytes { FramebufferDisplay.write(surface, into: $0, lineLength: lineLength, size: size, format: .rgb565) }
        #expect(Array(memory[0..<8]) == [0x00, 0xF8, 0x00, 0xF8, 0x00, 0xF8, 0x00, 0xF8])
        #expect(Array(memory[8..<14]) == Array(repeating: 0xAA, count: 6))  // padding untouched
        #expect(Array(memory[lineLength..<lineLength + 2]) == [0x00, 0xF8])
        #expect(Array(memory[2 * lineLength..<2 * lineLength + 8]) == Array(repeating: 0, count: 8))  // uncovered row: black
    }

    @Test func aNarrowerSurfaceLeavesTheRestOfTheRowBlack() throws {
        let surface = try Surface(width: 2, height: 1)
        surface.fill(.white)
        var memory = [UInt8](repeating: 0xAA, count: 4 * 4)
        memory.withUnsafeMutableBytes {
            FramebufferDisplay.write(surface, into: $0, lineLength: 16, size: ScreenSize(width: 4, height: 1), format: .xrgb8888)
        }
        // Blue, green, red of both pixels white; the fourth (X) byte is padding the device ignores.
        #expect(Array(memory[0..<3]) == [0xFF, 0xFF, 0xFF] && Array(memory[4..<7]) == [0xFF, 0xFF, 0xFF])
        #expect(Array(memory[8..<16]) == Array(repeating: 0, count: 8))
    }
}
