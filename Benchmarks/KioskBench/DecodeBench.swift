// The receive side's decode cost against vpxdec on the same VP8 stream (vpxenc's output of the encode
// benchmark), both on one thread, in the same run.
import Display
import Media
#if canImport(Glibc)
import Glibc
#endif

/// The frames of an IVF file (32-byte file header, then a 12-byte header before each frame).
func ivfFrames(_ path: String) -> [[UInt8]] {
    guard let file = fopen(path, "rb") else { fatal("cannot open \(path)") }
    defer { fclose(file) }
    var header = [UInt8](repeating: 0, count: 32)
    guard fread(&header, 1, 32, file) == 32, header[0] == 0x44, header[1] == 0x4B, header[2] == 0x49, header[3] == 0x46 else { fatal("\(path) is not IVF") }
    var frames: [[UInt8]] = []
    var frameHeader = [UInt8](repeating: 0, count: 12)
    while fread(&frameHeader, 1, 12, file) == 12 {
        let size = Int(frameHeader[0]) | Int(frameHeader[1]) << 8 | Int(frameHeader[2]) << 16 | Int(frameHeader[3]) << 24
        var data = [UInt8](repeating: 0, count: size)
        guard fread(&data, 1, size, file) == size else { break }
        frames.append(data)
    }
    return frames
}

func benchDecode(ivf: String, size: FrameSize, workDir: String) {
    let frames = ivfFrames(ivf)
    guard !frames.isEmpty else { fatal("no frames in \(ivf)") }
    // Rounds taken in turns, the least of each counted: other work on the machine only ever adds time.
    var millis = Double.infinity, vpxMillis = Double.infinity
    for _ in 0..<3 {
        guard let decoder = try? VP8Decoder() else { fatal("VP8Decoder failed to start") }
        let start = threadCPUMillis()
        for frame in frames {
            guard (try? decoder.decode(frame)) != nil else { fatal("our decoder refused a frame of vpxenc's") }
        }
        millis = min(millis, (threadCPUMillis() - start) / Double(frames.count))
        let vpx = runMeasured(["vpxdec", "--codec=vp8", "-t", "1", "--i420", "-o", "/dev/null", ivf], workDir: workDir)
        guard vpx.status == 0 else { fatal("vpxdec failed with status \(vpx.status)") }
        vpxMillis = min(vpxMillis, vpx.cpuMillis / Double(frames.count))
    }
    print("\(size) decode: VP8Decoder \(fmt(millis)) ms/frame, vpxdec \(fmt(vpxMillis)) ms/frame, ratio \(fmt(millis / vpxMillis)) (\(frames.count) frames of vpxenc's stream)")
}

/// The in-call screen's compositing cost (a 720p agent picture scaled into 1280x800 32 bpp beside the chat,
/// under the camera badge, with a QR code), as thread CPU per frame, and the framebuffer write after it.
func benchCompositing(frames: Int) {
    let start = threadCPUMillis()
    guard let wall = try? DisplayBenchmark.inCallCompositing(frames: frames) else { fatal("the in-call screen could not be drawn") }
    let cpu = (threadCPUMillis() - start) / Double(frames + 1)
    var writes: [String] = []
    for (name, format) in [("32", PixelFormat.xrgb8888), ("24", .rgb888), ("16", .rgb565)] {
        let t0 = threadCPUMillis()
        _ = try? DisplayBenchmark.framebufferWrite(format: format, frames: 100)
        writes.append("\(name) bpp \(fmt((threadCPUMillis() - t0) / 100)) ms")
    }
    let wallMillis = Double(wall.components.attoseconds) / 1e15 + Double(wall.components.seconds) * 1000
    print("in-call screen 1280x800, 720p agent picture: compositing \(fmt(cpu)) ms CPU per frame (wall \(fmt(wallMillis)) ms; target 3 ms); framebuffer write \(writes.joined(separator: ", "))")
}
