import Foundation
import Media
import Testing

/// ffmpeg, a real receiver, decodes what `kioskd stream` sends from its synthetic camera and tone, using
/// the SDP kioskd wrote: the frames arrive, the picture is the pattern sent, the sound is the tone.
@Suite(.serialized)
struct FFmpegReceiveTests {
    @Test func ffmpegDecodesTheSyntheticStream() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("ffmpeg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let size = FrameSize(width: 640, height: 480)
        let framesSent = 150
        let common = ["stream", "--to", "127.0.0.1:\(port)", "--sdp", "\(dir)/stream.sdp", "--camera", "synthetic",
                      "--size", "\(size)", "--fps", "30", "--microphone", "tone:440", "--bitrate", "1500"]

        // The receiver starts first, from the SDP kioskd writes, so it sees the first key frame.
        let sdpOnly = try TestProcess(kioskd, common + ["--sdp-only"], in: dir, name: "sdp")
        #expect(sdpOnly.wait(seconds: 10) == 0)
        let sdp = try String(contentsOfFile: "\(dir)/stream.sdp", encoding: .utf8)
        #expect(sdp.contains("m=video \(port) RTP/AVP 96") && sdp.contains("a=rtpmap:96 VP8/90000"))
        #expect(sdp.contains("m=audio \(port + 2) RTP/AVP 111") && sdp.contains("a=rtpmap:111 opus/48000/2"))

        let ffmpeg = try TestProcess("ffmpeg", [
            "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", "stream.sdp",
            "-map", "0:v", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", "video.yuv",
            "-map", "0:a", "-f", "s16le", "-ac", "1", "-ar", "48000", "audio.raw",
        ], in: dir, name: "ffmpeg")
        defer { ffmpeg.stop() }
        try #require(TestEnvironment.waitForUDPListener(port: port, seconds: 10), "ffmpeg did not open its RTP port")
        try #require(TestEnvironment.waitForUDPListener(port: port + 2, seconds: 10), "ffmpeg did not open its audio port")

        let sender = try TestProcess(kioskd, common + ["--frames", "\(framesSent)"], in: dir, name: "kioskd")
        defer { sender.stop() }
        #expect(sender.wait(seconds: 30) == 0, "kioskd stream: \(sender.stderr)")
        // kioskd ends both streams with an RTCP BYE, on which ffmpeg finishes its files and exits.
        #expect(ffmpeg.wait(seconds: 15) == 0, "ffmpeg: \(ffmpeg.stderr)")

        // Video: count the decoded frames and compare each with the pattern frame it should be.
        let video = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/video.yuv"))
        let frameBytes = VideoFrame.byteCount(width: size.width, height: size.height)
        let decoded = video.count / frameBytes
        #expect(decoded >= framesSent * 95 / 100, "decoded \(decoded) of \(framesSent) frames")
        #expect(decoded <= framesSent)
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        let bytes = [UInt8](video)
        let psnrs = SignalAnalysis.psnrAgainstPattern(bytes, camera: camera, framesSent: framesSent)
        let mean = psnrs.reduce(0, +) / Double(max(1, psnrs.count))
        let worst = psnrs.min() ?? 0
        print("ffmpeg decoded \(decoded)/\(framesSent) frames; luma PSNR mean \(mean) dB, worst \(worst) dB")
        #expect(mean > 30, "mean PSNR \(mean) dB")
        #expect(worst > 30, "worst PSNR \(worst) dB")

        // Audio: the tone, at its frequency and level (0.3 of full scale peak: RMS 0.212), for the stream's length.
        let samples = try SignalAnalysis.readS16("\(dir)/audio.raw")
        let seconds = Double(samples.count) / 48_000
        #expect(seconds > Double(framesSent) / 30 * 0.9, "only \(seconds) s of audio decoded")
        let steady = samples.dropFirst(4_800).dropLast(4_800)  // skip the codec's start and end
        let tone = SignalAnalysis.tone(steady, sampleRate: 48_000)
        print("ffmpeg decoded \(seconds) s of audio: \(tone.frequency) Hz, RMS \(tone.rms) of full scale")
        #expect(abs(tone.frequency - 440) < 2, "frequency \(tone.frequency) Hz")
        #expect(abs(20 * log10(tone.rms / (0.3 / 2.0.squareRoot()))) < 1.5, "RMS \(tone.rms)")
    }
}
