import Testing
@testable import Media

/// Pixel format codes as v4l2-ctl writes them (its `fcc2s`), for `kioskctl devices`.
@Suite struct V4L2FourccTests {
    static func code(_ text: String) -> UInt32 {
        text.utf8.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    @Test func fourccsReadAsV4L2CtlWritesThem() {
        #expect(V4L2Camera.fourcc(Self.code("YUYV")) == "YUYV")
        #expect(V4L2Camera.fourcc(Self.code("Y10 ")) == "Y10 ")
        // V4L2_PIX_FMT_Y16_BE: bit 31 is the big-endian flag, not part of the fourth character.
        #expect(V4L2Camera.fourcc(Self.code("Y16 ") | 0x8000_0000) == "Y16 -BE")
        #expect(V4L2Camera.fourcc(0x0001_4142) == "BA??")
    }
}
