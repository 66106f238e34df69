import Foundation
import Media
import RTP
import SRTP
import Testing

/// ffmpeg, a real receiver with its own SRTP code (libavformat's srtp.c, not libsrtp), decodes what
/// `kioskd stream` sends as SRTP with the SDES keys of the SDP kioskd wrote; with a wrong key in that SDP
/// it decodes nothing, which shows the packets are encrypted and authenticated.
@Suite(.serialized)
struct SRTPReceiveTests {
    static let size = FrameSize(width: 640, height: 480)

    /// `kioskd stream` arguments toward `port`, the SDP in `dir/stream.sdp`.
    static func streamArguments(port: Int) -> [String] {
        ["stream", "--to", "127.0.0.1:\(port)", "--camera", "synthetic", "--size", "\(size)", "--fps", "30",
         "--microphone", "tone:440", "--bitrate", "1500"]
    }

    /// Writes the SDP with fresh keys (`--srtp --sdp-only`) and returns its text.
    static func writeSDP(kioskd: String, port: Int, dir: String) throws -> String {
        let sdpOnly = try TestProcess(kioskd, streamArguments(port: port) + ["--sdp", "stream.sdp", "--srtp", "--sdp-only"],
                                      in: dir, name: "sdp")
        #expect(sdpOnly.wait(seconds: 10) == 0, "kioskd --sdp-only: \(sdpOnly.stderr)")
        return try String(contentsOfFile: "\(dir)/stream.sdp", encoding: .utf8)
    }

    /// ffmpeg receiving the stream of `sdp` into video.yuv and audio.raw.
    static func startFFmpeg(sdp: String, port: Int, dir: String) throws -> TestProcess {
        let ffmpeg = try TestProcess("ffmpeg", [
            // repeat+: every refused packet's "HMAC mismatch" on a line of its own, not "Last message repeated".
            "-nostdin", "-loglevel", "repeat+warning", "-protocol_whitelist", "file,udp,rtp,srtp", "-i", sdp,
            "-map", "0:v", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", "video.yuv",
            "-map", "0:a", "-f", "s16le", "-ac", "1", "-ar", "48000", "audio.raw",
        ], in: dir, name: "ffmpeg")
        try #require(TestEnvironment.waitForUDPListener(port: port, seconds: 10), "ffmpeg did not open its RTP port")
        try #require(TestEnvironment.waitForUDPListener(port: port + 2, seconds: 10), "ffmpeg did not open its audio port")
        return ffmpeg
    }

    /// The `a=crypto` keys of an SDP, in order (video, then audio), as base64 text.
    static func inlineKeys(_ sdp: String) -> [String] {
        sdp.components(separatedBy: "\r\n").compactMap { line in
            guard line.hasPrefix("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") else { return nil }
            return String(line.dropFirst("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:".count))
        }
    }

    /// How many packets ffmpeg's SRTP refused (one "HMAC mismatch" line each with `-loglevel repeat+…`).
    static func hmacMismatches(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("HMAC mismatch") }.count
    }

    @Test func ffmpegDecodesTheSRTPStream() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("srtp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let size = Self.size
        let framesSent = 150

        let sdp = try Self.writeSDP(kioskd: kioskd, port: port, dir: dir)
        #expect(sdp.contains("m=video \(port) RTP/SAVP 96\r\n") && sdp.contains("m=audio \(port + 2) RTP/SAVP 111\r\n"))
        let keys = Self.inlineKeys(sdp)
        #expect(keys.count == 2 && keys.allSatisfy { $0.count == 40 && Data(base64Encoded: $0)?.count == 30 }, "keys: \(keys)")
        #expect(Set(keys).count == 2, "video and audio have keys of their own")

        let ffmpeg = try Self.startFFmpeg(sdp: "stream.sdp", port: port, dir: dir)
        defer { ffmpeg.stop() }
        // The sender takes the keys of the SDP the receiver opened.
        let sender = try TestProcess(kioskd, Self.streamArguments(port: port) + ["--srtp-keys-from", "stream.sdp", "--frames", "\(framesSent)"],
                                     in: dir, name: "kioskd")
        defer { sender.stop() }
        #expect(sender.wait(seconds: 30) == 0, "kioskd stream: \(sender.stderr)")
        #expect(sender.stderr.contains("→ SRTP 127.0.0.1:\(port)"), "kioskd: \(sender.stderr)")
        // ffmpeg ends on the RTCP BYE, which it could only read by unprotecting the SRTCP.
        #expect(ffmpeg.wait(seconds: 15) == 0, "ffmpeg: \(ffmpeg.stderr)")
        #expect(Self.hmacMismatches(ffmpeg.stderr) == 0, "ffmpeg: \(ffmpeg.stderr)")

        let video = (try? Data(contentsOf: URL(fileURLWithPath: "\(dir)/video.yuv"))) ?? Data()
        let frameBytes = VideoFrame.byteCount(width: size.width, height: size.height)
        let decoded = video.count / frameBytes
        #expect(decoded >= framesSent * 95 / 100, "decoded \(decoded) of \(framesSent) frames")
        #expect(decoded <= framesSent)
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        let bytes = [UInt8](video)
        let psnrs = SignalAnalysis.psnrAgainstPattern(bytes, camera: camera, framesSent: framesSent)
        let mean = psnrs.reduce(0, +) / Double(max(1, psnrs.count))
        let worst = psnrs.min() ?? 0
        print("SRTP: ffmpeg decoded \(decoded)/\(framesSent) frames; luma PSNR mean \(mean) dB, worst \(worst) dB")
        #expect(mean > 30, "mean PSNR \(mean) dB")
        #expect(worst > 30, "worst PSNR \(worst) dB")

        let samples = (try? SignalAnalysis.readS16("\(dir)/audio.raw")) ?? []
        let seconds = Double(samples.count) / 48_000
        #expect(seconds > Double(framesSent) / 30 * 0.9, "only \(seconds) s of audio decoded")
        let tone = SignalAnalysis.tone(samples.dropFirst(4_800).dropLast(4_800), sampleRate: 48_000)
        print("SRTP: ffmpeg decoded \(seconds) s of audio: \(tone.frequency) Hz, RMS \(tone.rms) of full scale")
        #expect(abs(tone.frequency - 440) < 2, "frequency \(tone.frequency) Hz")
        #expect(abs(20 * log10(tone.rms / (0.3 / 2.0.squareRoot()))) < 1.5, "RMS \(tone.rms)")
    }

    @Test func aWrongKeyDecodesNothing() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("srtp-wrong")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let framesSent = 60

        // The receiver gets the SDP with both keys changed in their first byte; the sender keeps the real ones.
        let sdp = try Self.writeSDP(kioskd: kioskd, port: port, dir: dir)
        var wrong = sdp
        for key in Self.inlineKeys(sdp) {
            var bytes = [UInt8](try #require(Data(base64Encoded: key)))
            bytes[0] ^= 0x5a
            wrong = wrong.replacingOccurrences(of: key, with: Data(bytes).base64EncodedString())
        }
        #expect(wrong != sdp && Self.inlineKeys(wrong).count == 2)
        try wrong.write(toFile: "\(dir)/wrong.sdp", atomically: true, encoding: .utf8)

        let ffmpeg = try Self.startFFmpeg(sdp: "wrong.sdp", port: port, dir: dir)
        defer { ffmpeg.stop() }
        let sender = try TestProcess(kioskd, Self.streamArguments(port: port) + ["--srtp-keys-from", "stream.sdp", "--frames", "\(framesSent)"],
                                     in: dir, name: "kioskd")
        defer { sender.stop() }
        #expect(sender.wait(seconds: 30) == 0, "kioskd stream: \(sender.stderr)")
        // No BYE gets through either, so ffmpeg waits on: it is stopped (SIGTERM, and it finishes its files).
        #expect(ffmpeg.wait(seconds: 3) == nil, "ffmpeg ended although it could not have read the BYE: \(ffmpeg.stderr)")
        ffmpeg.stop()

        let video = (try? Data(contentsOf: URL(fileURLWithPath: "\(dir)/video.yuv"))) ?? Data()
        let decoded = video.count / VideoFrame.byteCount(width: Self.size.width, height: Self.size.height)
        let samples = (try? SignalAnalysis.readS16("\(dir)/audio.raw")) ?? []
        let refused = Self.hmacMismatches(ffmpeg.stderr)
        print("SRTP wrong key: ffmpeg decoded \(decoded)/\(framesSent) frames, \(samples.count) audio samples; \(refused) packets failed authentication")
        #expect(decoded <= 1, "decoded \(decoded) frames with a wrong key")
        #expect(samples.count < 4_800, "decoded \(samples.count) audio samples with a wrong key")
        // ffmpeg's SRTP refused what arrived: at least the audio (50 packets/s) and the video's packets.
        #expect(refused >= framesSent + framesSent * 50 / 30, "ffmpeg: \(ffmpeg.stderr)")
    }

    @Test func everyDatagramIsSRTPUnderTheSDPsKey() throws {
        // libsrtp as a second receiver, on the wire itself: each datagram authenticates with the SDP's key,
        // its payload is not the plain one, and nothing is sent in the clear.
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("srtp-wire")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let sdp = try Self.writeSDP(kioskd: kioskd, port: port, dir: dir)
        let keys = try Self.inlineKeys(sdp).map { [UInt8](try #require(Data(base64Encoded: $0))) }
        try #require(keys.count == 2)

        let videoRTP = try UDPListener(port: port), videoRTCP = try UDPListener(port: port + 1)
        let audioRTP = try UDPListener(port: port + 2)
        let sender = try TestProcess(kioskd, Self.streamArguments(port: port) + ["--srtp-keys-from", "stream.sdp", "--frames", "30"],
                                     in: dir, name: "kioskd")
        defer { sender.stop() }
        #expect(sender.wait(seconds: 30) == 0, "kioskd stream: \(sender.stderr)")
        let video = videoRTP.receive(for: 0.2), rtcp = videoRTCP.receive(for: 0.2), audio = audioRTP.receive(for: 0.2)
        #expect(video.count >= 30 && audio.count >= 40 && rtcp.count >= 1, "\(video.count) video, \(audio.count) audio, \(rtcp.count) RTCP datagrams")

        let videoIn = try SRTPSession(keyAndSalt: keys[0], direction: .inbound)
        let audioIn = try SRTPSession(keyAndSalt: keys[1], direction: .inbound)
        var differing = 0
        for datagram in video {
            let plain = try videoIn.unprotect(srtp: datagram)
            #expect(plain.count == datagram.count - 10)
            let packet = try RTPPacket(parsing: plain)
            #expect(packet.payloadType == 96)
            if Array(datagram[12..<plain.count]) != Array(plain[12...]) { differing += 1 }
        }
        #expect(differing == video.count, "\(video.count - differing) video payloads went out in the clear")
        for datagram in audio {
            #expect(try RTPPacket(parsing: try audioIn.unprotect(srtp: datagram)).payloadType == 111)
        }
        for datagram in rtcp {
            let plain = try videoIn.unprotectRTCP(srtcp: datagram)
            #expect((try? RTCPPacket.parseCompound(plain)) != nil)
            #expect(datagram[(plain.count)] & 0x80 != 0, "the E flag: SRTCP is encrypted")
        }
        // The audio key does not open the video stream.
        let crossed = try SRTPSession(keyAndSalt: keys[1], direction: .inbound)
        #expect(throws: SRTPError.authenticationFailed) { try crossed.unprotect(srtp: video[0]) }
    }
}
