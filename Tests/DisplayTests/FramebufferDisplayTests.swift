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
