import Display
import Testing

struct PixelFormatTests {
    @Test(arguments: [PixelFormat.xrgb8888, .rgb888, .rgb565])
    func channelsFitThePixelWithoutOverlapping(_ format: PixelFormat) {
        let masks = [format.red, format.green, format.blue].map { ((1 << $0.length) - 1) << $0.offset }
        #expect(masks.allSatisfy { $0 < 1 << format.bitsPerPixel })
        #expect(masks[0] & masks[1] == 0 && masks[1] & masks[2] == 0 && masks[0] & masks[2] == 0)
    }
}
