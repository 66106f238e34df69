import Foundation
import Media

/// baresip as the contact-center agent: answers automatically, VP8 + Opus over SDES-SRTP, sends a tone
/// (aufile) and a test picture (fakevideo), writes what it decodes (sndfile WAVs, snapshot PNGs). Driven
/// over ctrl_tcp (netstring-framed JSON). Every port is a free loopback port; stopped by PID.
final class BaresipAgent: @unchecked Sendable {
    let dir: String
    let sipPort: Int
    let controlPort: Int
    let rtpPorts: ClosedRange<Int>
    let recordDir: String
    /// What fakevideo sends.
    let videoSize: String
    let videoFPS: Int
    private var process: TestProcess?

    /// `answerMode`: `auto` answers at once; `manual` rings until the `accept` command.
    /// `mediaenc`: `srtp` accepts an SAVPF offer with keys (and plain RTP); `srtp-mandf` only SAVPF.
    init(in dir: String, user: String = "agent", mediaEncryption: String = "srtp", registrar: String? = nil,
         password: String? = nil, toneHz: Double = 660, kioskURI: String = "sip:kiosk@127.0.0.1",
         answerMode: String = "auto", videoSize: String = "352x288", videoFPS: Int = 25) throws {
        self.dir = dir
        self.videoSize = videoSize
        self.videoFPS = videoFPS
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        sipPort = try TestEnvironment.freePort()
        controlPort = try TestEnvironment.freeTCPPort()
        let base = try TestEnvironment.freeEvenPortBlock()
        rtpPorts = base...(base + 3)
        recordDir = "\(dir)/received"
        try FileManager.default.createDirectory(atPath: recordDir, withIntermediateDirectories: true)
        try BoardMedia.writeToneWAV("\(dir)/tone.wav", frequency: toneHz, amplitude: 0.3, seconds: 60, channels: 2)
        try config().write(toFile: "\(dir)/config", atomically: true, encoding: .utf8)
        var account = "<sip:\(user)@127.0.0.1:\(sipPort)>;regint=0;answermode=\(answerMode);mediaenc=\(mediaEncryption);audio_codecs=opus/48000/2;video_codecs=vp8"
        if let registrar, let password {
            account = "<sip:\(user)@\(registrar)>;auth_pass=\(password);outbound=\"sip:\(registrar)\";regint=60;answermode=\(answerMode);mediaenc=\(mediaEncryption);audio_codecs=opus/48000/2;video_codecs=vp8"
        }
        try (account + "\n").write(toFile: "\(dir)/accounts", atomically: true, encoding: .utf8)
        try "\"Kiosk\" <\(kioskURI)>\n".write(toFile: "\(dir)/contacts", atomically: true, encoding: .utf8)
    }

    var uri: String { "sip:agent@127.0.0.1:\(sipPort)" }

    private func config() -> String {
        """
        poll_method\t\tepoll
        sip_listen\t\t127.0.0.1:\(sipPort)
        call_local_timeout\t120
        call_max_calls\t\t4
        audio_player\t\taubridge,nil
        audio_source\t\taufile,\(dir)/tone.wav
        audio_alert\t\taubridge,nil
        video_source\t\tfakevideo,nil
        video_display\t\tfakevideo,nil
        video_size\t\t\(videoSize)
        video_bitrate\t\t500000
        video_fps\t\t\(videoFPS)
        rtp_ports\t\t\(rtpPorts.lowerBound)-\(rtpPorts.upperBound)
        rtcp_mux\t\tyes
        rtp_stats\t\tyes
        jitter_buffer_delay\t5-10
        module_path\t\t/usr/lib/baresip/modules
        module\t\t\tstdio.so
        module\t\t\topus.so
        module\t\t\tvp8.so
        module\t\t\taufile.so
        module\t\t\taubridge.so
        module\t\t\tfakevideo.so
        module\t\t\tsrtp.so
        module\t\t\tsndfile.so
        module\t\t\tsnapshot.so
        module\t\t\trtcpsummary.so
        module_tmp\t\taccount.so
        module_app\t\tmenu.so
        module_app\t\tcontact.so
        module_app\t\tctrl_tcp.so
        ctrl_tcp_listen\t\t127.0.0.1:\(controlPort)
        snd_path\t\t\(recordDir)
        opus_bitrate\t\t28000
        net_interface\t\t127.0.0.1
        statmode_default\toff

        """
    }

    /// Starts baresip (`-s` logs SIP traffic to its output, which the tests read) and waits for ctrl_tcp.
    func start() throws {
        process = try TestProcess("baresip", ["-s", "-f", dir], in: dir, name: "baresip", keepStdinOpen: true)
        guard TestEnvironment.waitForTCPListener(port: controlPort, seconds: 10),
              TestEnvironment.waitForUDPListener(port: sipPort, seconds: 10) else {
            throw TestSetupError("baresip did not start: \(self.log.suffix(3000))")
        }
    }

    /// What baresip printed (its console, with `-s` the SIP messages).
    var log: String { (try? String(contentsOfFile: "\(dir)/baresip.out", encoding: .utf8)) ?? "" }

    /// Freezes baresip (SIGSTOP) or lets it go on (SIGCONT): to the kiosk, a network that went away.
    func freeze(_ frozen: Bool) { process?.signal(frozen ? SIGSTOP : SIGCONT) }

    func stop() {
        process?.stop()
        process = nil
    }

    deinit { stop() }

    /// Sends one ctrl_tcp command; returns the JSON replies and events seen within `wait` seconds.
    @discardableResult
    func command(_ name: String, _ params: String = "", wait: Double = 1) throws -> [[String: Any]] {
        let control = try BaresipControl(port: controlPort)
        return try control.send(name, params, wait: wait)
    }
}

/// A ctrl_tcp connection: netstring-framed JSON both ways (`{"command":…,"params":…,"token":…}`).
final class BaresipControl {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestSetupError("baresip ctrl_tcp 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    @discardableResult
    func send(_ command: String, _ params: String, wait: Double) throws -> [[String: Any]] {
        let body = try JSONSerialization.data(withJSONObject: ["command": command, "params": params, "token": "kioskd-test"])
        let frame = Array("\(body.count):".utf8) + [UInt8](body) + Array(",".utf8)
        _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        return read(for: wait)
    }

    /// Reads netstrings for `seconds`; each parsed as a JSON object.
    func read(for seconds: Double) -> [[String: Any]] {
        var buffer: [UInt8] = []
        var messages: [[String: Any]] = []
        let until = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while Date() < until {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(max(1, until.timeIntervalSinceNow * 1000))) > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            buffer += chunk[0..<n]
            while let colon = buffer.firstIndex(of: UInt8(ascii: ":")),
                  let length = Int(String(decoding: buffer[..<colon], as: UTF8.self)),
                  buffer.count >= colon + 1 + length + 1 {
                let json = Data(buffer[(colon + 1)..<(colon + 1 + length)])
                buffer.removeFirst(colon + 1 + length + 1)
                if let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] { messages.append(object) }
            }
        }
        return messages
    }
}

extension BaresipAgent {
    /// What baresip decoded from the kiosk (sndfile's `dump-*-dec.wav`), as mono samples at 48 kHz.
    static func decodedAudio(in recordDir: String) throws -> [Int16] {
        let files = try FileManager.default.contentsOfDirectory(atPath: recordDir).filter { $0.hasSuffix("-dec.wav") }.sorted()
        guard let file = files.last else { throw TestSetupError("baresip wrote no decoded audio in \(recordDir)") }
        let raw = "\(recordDir)/decoded.raw"
        let ffmpeg = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", "\(recordDir)/\(file)", "-ac", "1", "-ar", "48000",
                                               "-f", "s16le", raw], in: recordDir, name: "ffmpeg-wav")
        guard ffmpeg.wait(seconds: 20) == 0 else { throw TestSetupError("ffmpeg could not read \(file): \(ffmpeg.stderr)") }
        return try SignalAnalysis.readS16(raw)
    }

    /// Which of the synthetic camera's frames the agent's snapshot shows best (luma PSNR), the snapshot
    /// turned into gray pixels at the camera's size by ffmpeg.
    static func bestMatch(snapshot: String, camera: SyntheticCamera, frames: Range<Int>, dir: String) throws -> (frame: Int, psnr: Double) {
        guard FileManager.default.fileExists(atPath: snapshot) else { throw TestSetupError("baresip wrote no snapshot at \(snapshot)") }
        let gray = "\(dir)/snapshot.gray"
        let ffmpeg = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", snapshot, "-vf",
                                               "scale=\(camera.size.width):\(camera.size.height)", "-pix_fmt", "gray", "-f", "rawvideo", gray],
                                     in: dir, name: "ffmpeg-png")
        guard ffmpeg.wait(seconds: 20) == 0 else { throw TestSetupError("ffmpeg could not read the snapshot: \(ffmpeg.stderr)") }
        let pixels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gray)))
        let count = camera.size.width * camera.size.height
        guard pixels.count == count else { throw TestSetupError("snapshot is \(pixels.count) bytes, not \(count)") }
        var best = (frame: -1, psnr: -1.0)
        for n in frames {
            let psnr = SignalAnalysis.lumaPSNR(pixels[...], camera.frame(number: n).bytes[...], lumaCount: count)
            if psnr > best.psnr { best = (n, psnr) }
        }
        return best
    }
}
