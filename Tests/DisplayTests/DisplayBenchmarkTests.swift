import Display
import Testing

struct DisplayBenchmarkTests {
    /// Runs the benchmark briefly. The 3 ms target is for release builds on one core; a debug build
    /// only has to stay within a generous bound (the video work is in libyuv, built optimised anyway).
    @Test func inCallCompositingRuns() throws {
        let perFrame = try DisplayBenchmark.inCallCompositing(frames: 20)
        print("in-call compositing: \(perFrame) per frame")
        #expect(perFrame > .zero && perFrame < .milliseconds(50))
    }

    @Test(arguments: [PixelFormat.xrgb8888, .rgb888, .rgb565])
    func framebufferWriteRuns(_ format: PixelFormat) throws {
        let perFrame = try DisplayBenchmark.framebufferWrite(format: format, frames: 3)
        print("framebuffer write \(format): \(perFrame) per frame")
        #expect(perFrame > .zero && perFrame < .milliseconds(500))
    }
}
