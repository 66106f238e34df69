import Display
import Foundation
import Kiosk
import Media
import Testing

/// Whole calls between the real kioskd (`kioskd call`) and baresip as the contact-center agent:
/// SRTP, the agent decoding the kiosk's tone and picture, the kiosk receiving the agent's media,
/// chat both ways, the kiosk's context as the agent received it, and a BYE from either side.
@Suite(.serialized)
struct BaresipCallTests {
    struct Setup {
        let dir: String
        let agent: BaresipAgent
        let control: BaresipControl
        let kioskPort: Int
        let config: String
    }

    static func setUp(_ name: String, extraConfig: String = "") throws -> Setup {
        let dir = try TestEnvironment.temporaryDirectory(name)
        let kioskPort = try TestEnvironment.freePort()
        let agent = try BaresipAgent(in: dir + "/agent", kioskURI: "sip:kiosk@127.0.0.1:\(kioskPort)")
        try agent.start()
        let control = try BaresipControl(port: agent.controlPort)
        let config = """
        {
          "kiosk": { "id": "KSK-0412", "name": "Rathaus Zürich" },
          "log": { "level": "info" },
          "camera": { "device": "synthetic", "size": "640x480", "fps": 25 },
          "microphone": { "device": "tone:440" },
          "video": { "bitrateKbps": 800, "cpuUsed": -8 },
          "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "127.0.0.1",
                   "displayName": "Kiosk Rathaus" },
          "contactCenter": { "categories": { "loans": "\(agent.uri)" }, "defaultTarget": "\(agent.uri)" },
          "context": { "site": "Zürich HB, Halle Süd", "address": "北京市朝阳区建国路 88 号", "floor": "EG",
                       "latitude": 47.378177, "longitude": 8.540192, "userToUserMaxBytes": 210 }\(extraConfig)
        }
        """
        try config.write(toFile: "\(dir)/kioskd.json", atomically: true, encoding: .utf8)
        return Setup(dir: dir, agent: agent, control: control, kioskPort: kioskPort, config: "\(dir)/kioskd.json")
    }

    /// Events from baresip's control connection until `name` shows up, at most `seconds`.
    static func waitForEvent(_ control: BaresipControl, _ name: String, seconds: Double, seen: inout [[String: Any]]) -> [String: Any]? {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            let batch = control.read(for: 0.25)
            seen += batch
            if let hit = batch.first(where: { ($0["type"] as? String) == name }) { return hit }
        }
        return nil
    }

    @Test func theAgentDecodesTheKioskAndTheKioskHangsUp() throws {
        // The kiosk's speaker is ALSA's file plugin: what the playback path plays lands in a raw file.
        let speakerDir = try TestEnvironment.temporaryDirectory("baresip-speaker")
        defer { try? FileManager.default.removeItem(atPath: speakerDir) }
        let speakerFile = speakerDir + "/speaker.raw"
        let setup = try Self.setUp("baresip-call", extraConfig: #", "speaker": { "device": "file:'\#(speakerFile)',raw" }"#)
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let kioskd = try TestEnvironment.kioskd()
        let call = try TestProcess(kioskd, ["call", "--config", setup.config, "--category", "loans", "--language", "de",
                                            "--customer-id", "C-77", "--camera-agreed", "--message", "Guten Tag, 你好",
                                            "--hang-up-after", "8"], in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        let established = Self.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events)
        try #require(established != nil, "no CALL_ESTABLISHED; kioskd: \(call.stderr)\nbaresip: \(setup.agent.log.suffix(3000))")
        // The agent writes to the kiosk (a MESSAGE to its contact) while the call is up.
        try setup.control.send("message", "Ihr Antrag ist bereit", wait: 0.5)
        Thread.sleep(forTimeInterval: 3)
        let snapshot = "\(setup.dir)/agent-received.png"
        try setup.control.send("snapshot_recv", snapshot, wait: 1)
        #expect(call.wait(seconds: 20) == 0, "kioskd call: \(call.stderr)")
        events += setup.control.read(for: 1)

        // SRTP, as the agent saw it.
        let menc = events.filter { ($0["type"] as? String) == "CALL_MENC" }.compactMap { $0["param"] as? String }
        print("CALL_MENC: \(menc)")
        #expect(menc.contains { $0.contains("AES_CM_128_HMAC_SHA1_80") }, "events: \(events)")
        #expect(events.contains { ($0["type"] as? String) == "CALL_CLOSED" })

        // The agent decoded the kiosk's tone (sndfile writes what it decoded).
        let decoded = try BaresipAgent.decodedAudio(in: setup.agent.recordDir)
        let tone = SignalAnalysis.tone(decoded.dropFirst(24_000), sampleRate: 48_000)
        print("agent decoded \(Double(decoded.count) / 48_000) s of the kiosk's audio: \(tone.frequency) Hz, RMS \(tone.rms)")
        #expect(abs(tone.frequency - 440) < 3, "frequency \(tone.frequency)")
        #expect(tone.rms > 0.1, "RMS \(tone.rms)")

        // ...and its picture: the snapshot is one of the synthetic camera's frames.
        let match = try BaresipAgent.bestMatch(snapshot: snapshot, camera: SyntheticCamera(size: FrameSize(width: 640, height: 480), framesPerSecond: 25, paced: false),
                                               frames: 0..<400, dir: setup.dir)
        print("agent's snapshot: best match frame \(match.frame) at \(match.psnr) dB")
        #expect(match.psnr > 25, "no pattern frame matches the agent's picture (best \(match.psnr) dB)")

        // The kiosk received the agent's media and both chats arrived.
        let log = call.stderr
        // baresip's MESSAGE has no display name: the sender is its user part.
        #expect(log.contains("call: chat from agent: Ihr Antrag ist bereit"), "\(log)")
        #expect(setup.agent.log.contains("Guten Tag, 你好"), "baresip did not show the kiosk's message")
        let received = try #require(log.firstMatch(of: /received audio (\d+) packets \(\d+ lost\), video (\d+) packets \(\d+ lost\), (\d+) SRTP failures/),
                                    "no media summary in \(log)")
        print("kiosk received audio \(received.1) and video \(received.2) packets, \(received.3) SRTP failures")
        #expect(Int(received.1)! > 100 && Int(received.2)! > 20 && Int(received.3)! == 0)
        #expect(log.contains("call: over: the kiosk hung up"))

        // The agent's tone (660 Hz) came out of the kiosk's playback path: decoded, played, continuous.
        let raw = try Data(contentsOf: URL(fileURLWithPath: speakerFile))
        let played = raw.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let heard = SignalAnalysis.tone(played.dropFirst(48_000), sampleRate: 48_000)
        print("kiosk's speaker played \(Double(played.count) / 48_000) s: \(heard.frequency) Hz, RMS \(heard.rms)")
        #expect(abs(heard.frequency - 660) < 3, "the speaker played \(heard.frequency) Hz")
        #expect(heard.rms > 0.1 && Double(played.count) / 48_000 > 5)
        #expect(log.contains("speaker: played"), "\(log)")

        // The context as the agent received it (baresip -s prints the INVITE).
        let invite = setup.agent.log
        #expect(invite.contains("X-Kiosk-Id: KSK-0412") && invite.contains("X-Kiosk-Category: loans"))
        #expect(invite.contains("X-Kiosk-Site: Zürich HB, Halle Süd") && invite.contains("X-Kiosk-Address: 北京市朝阳区建国路 88 号"))
        let uui = try #require(invite.firstMatch(of: /User-to-User: ([0-9A-F]+;encoding=hex)/), "no User-to-User in \(invite.suffix(4000))")
        let fields = try #require(ContextTagging.decodeUserToUser(String(uui.1)))
        #expect(fields["kioskId"] == "KSK-0412" && fields["category"] == "loans" && fields["lang"] == "de" && fields["customerId"] == "C-77")
        #expect(fields["site"] == "Zürich HB, Halle Süd")
    }

    @Test func theAgentHangsUp() throws {
        let setup = try Self.setUp("baresip-bye")
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--hang-up-after", "0"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        try #require(Self.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(call.stderr)")
        Thread.sleep(forTimeInterval: 2)
        try setup.control.send("hangup", "", wait: 0.5)
        #expect(call.wait(seconds: 10) == 0, "kioskd call: \(call.stderr)")
        #expect(call.stderr.contains("call: over: the agent hung up"), "\(call.stderr)")
        // Without the customer's consent the kiosk offered video recvonly: the agent got no picture.
        #expect(setup.agent.log.contains("a=recvonly") || setup.agent.log.contains("recvonly"))
    }

    @Test func theCustomerAgreesToTheCameraDuringTheCall() throws {
        let setup = try Self.setUp("baresip-consent")
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--agree-camera-after", "3",
                                                                   "--hang-up-after", "8"], in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        try #require(Self.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(call.stderr)")
        // Before the customer agrees, the agent has no picture of the kiosk.
        Thread.sleep(forTimeInterval: 1.5)
        let before = "\(setup.dir)/before.png"
        try setup.control.send("snapshot_recv", before, wait: 1)
        // After: the kiosk's pattern.
        Thread.sleep(forTimeInterval: 3.5)
        let after = "\(setup.dir)/after.png"
        try setup.control.send("snapshot_recv", after, wait: 1)
        #expect(call.wait(seconds: 20) == 0, "\(call.stderr)")
        let log = call.stderr
        let cameraLines = log.split(separator: "\n").filter { $0.contains("call: camera ") }.map { $0.split(separator: "] ").last.map(String.init) ?? "" }
        #expect(cameraLines == ["call: camera off", "call: camera on"], "\(log)")
        let camera = SyntheticCamera(size: FrameSize(width: 640, height: 480), framesPerSecond: 25, paced: false)
        if FileManager.default.fileExists(atPath: before) {
            // baresip takes a requested snapshot from the next frame it receives: asked for before the
            // consent, it can only show one of the camera's first frames after it (none came earlier).
            let earlier = try BaresipAgent.bestMatch(snapshot: before, camera: camera, frames: 0..<300, dir: setup.dir)
            print("snapshot asked for before consent shows frame \(earlier.frame) (\(earlier.psnr) dB)")
            #expect(earlier.frame < 25, "the agent had the kiosk's picture from before the customer agreed")
        }
        let match = try BaresipAgent.bestMatch(snapshot: after, camera: camera, frames: 0..<300, dir: setup.dir)
        print("after consent the agent's snapshot matches frame \(match.frame) at \(match.psnr) dB")
        #expect(match.psnr > 25)
        // The camera ran only for the time after consent: 5 s at 25 fps, not the whole call.
        let sent = try #require(log.firstMatch(of: /sent audio \d+ packets, video (\d+) frames/))
        #expect(Int(sent.1)! > 50 && Int(sent.1)! < 160, "\(sent.1) video frames sent")
    }

    /// The agent puts the kiosk on hold and takes it back (baresip's re-INVITEs, sendonly then sendrecv):
    /// the kiosk answers each, stops sending its voice while held and sends it again after.
    @Test func theAgentPutsTheCallOnHoldAndResumes() throws {
        let setup = try Self.setUp("baresip-hold")
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--hang-up-after", "9"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        try #require(Self.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(call.stderr)")
        Thread.sleep(forTimeInterval: 2)
        try setup.control.send("hold", "", wait: 0.5)
        Thread.sleep(forTimeInterval: 3)
        try setup.control.send("resume", "", wait: 0.5)
        #expect(call.wait(seconds: 20) == 0, "kioskd call: \(call.stderr)")
        let log = call.stderr
        #expect(log.contains("call: on hold by the agent") && log.contains("call: the agent resumed the call"), "\(log)")
        #expect(log.contains("call: over: the kiosk hung up"))
        // Some 3 s of the 9 s call held: the kiosk sent clearly fewer than 9 s of 20 ms packets.
        let sent = try #require(log.firstMatch(of: /sent audio (\d+) packets/), "\(log)")
        print("kiosk sent \(sent.1) audio packets in a 9 s call with ~3 s on hold")
        #expect(Int(sent.1)! > 200 && Int(sent.1)! < 360)
        // After the resume the agent hears the kiosk's tone again.
        let decoded = try BaresipAgent.decodedAudio(in: setup.agent.recordDir)
        let tail = SignalAnalysis.tone(decoded.suffix(48_000), sampleRate: 48_000)
        print("agent's last second: \(tail.frequency) Hz, RMS \(tail.rms)")
        #expect(abs(tail.frequency - 440) < 3 && tail.rms > 0.1)
        // The kiosk answered the hold with its audio recvonly (baresip -s traces the 200 OK's SDP).
        #expect(setup.agent.log.contains("a=sendonly"), "baresip's hold offer is not in its trace")
    }

    /// The agent's video on the kiosk's screen: the kiosk decodes baresip's picture and draws it into the
    /// in-call screen (the off-screen display writes each picture as PNG). The screen the kiosk drew
    /// matches the in-call screen drawn with the picture baresip says it sent, and not one without it.
    @Test func theKioskShowsTheAgentsPictureOnItsScreen() throws {
        let screenDir = try TestEnvironment.temporaryDirectory("baresip-screen")
        defer { if ProcessInfo.processInfo.environment["KIOSKD_KEEP_TEST_FILES"] == nil { try? FileManager.default.removeItem(atPath: screenDir) } }
        let setup = try Self.setUp("baresip-screen", extraConfig: """
            , "display": { "device": "offscreen:\(screenDir)", "size": "1280x800", "snapshotsPerSecond": 10 }
            """)
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--hang-up-after", "6"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        try #require(Self.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(call.stderr)")
        Thread.sleep(forTimeInterval: 4)
        let sentPicture = "\(screenDir)/agent-sent.png"
        try setup.control.send("snapshot_send", sentPicture, wait: 0.3)
        let askedAt = Date()
        #expect(call.wait(seconds: 20) == 0, "\(call.stderr)")
        let log = call.stderr
        print(log.split(separator: "\n").filter { $0.contains("display") || $0.contains("video") }.joined(separator: "\n"))
        let frames = try FileManager.default.contentsOfDirectory(atPath: screenDir).filter { $0.hasPrefix("frame-") }.sorted()
        print("kiosk drew \(frames.count) pictures")
        #expect(frames.count >= 10)
        #expect(log.contains("display: \(frames.count) pictures presented"))
        try #require(frames.count >= 3)

        // What the screen should show: the in-call screen drawn with the picture baresip sent (fakevideo's
        // colour bars, still), and the same screen without any picture from the agent.
        let sent = try Self.rawPixels(sentPicture, format: "yuv420p", dir: setup.dir)
        let agentPicture = try I420Image(width: sent.width, height: sent.height, bytes: sent.bytes)
        let model = ScreenModel(screen: .inCall(InCallScreen()), language: .english, kioskName: "Rathaus Zürich")
        func drawn(_ frames: CallFrames, _ name: String) throws -> String {
            let surface = try Surface(width: 1280, height: 800)
            ScreenRenderer().render(model, frames: frames, into: surface)
            try surface.writePNG(to: "\(screenDir)/\(name).png")
            return "\(screenDir)/\(name).png"
        }
        let expected = try Self.rawPixels(try drawn(CallFrames(agent: agentPicture), "expected"), format: "rgb24", dir: setup.dir)
        let withoutAgent = try Self.rawPixels(try drawn(CallFrames(), "without-agent"), format: "rgb24", dir: setup.dir)
        // A wrong picture: baresip's, mirrored (its bars in the opposite order).
        let mirrored = try I420Image(width: sent.width, height: sent.height, bytes: Self.mirrored(sent.bytes, width: sent.width, height: sent.height))
        let wrong = try Self.rawPixels(try drawn(CallFrames(agent: mirrored), "wrong-picture"), format: "rgb24", dir: setup.dir)
        // The last picture is the end screen; the one before it the call, with the agent's latest picture.
        let shown = try Self.rawPixels("\(screenDir)/\(frames[frames.count - 2])", format: "rgb24", dir: setup.dir)
        let toExpected = Self.meanAbsoluteDifference(shown.bytes, expected.bytes)
        let toPlaceholder = Self.meanAbsoluteDifference(shown.bytes, withoutAgent.bytes)
        let toWrong = Self.meanAbsoluteDifference(shown.bytes, wrong.bytes)
        print("kiosk's screen vs the screen drawn with baresip's sent picture: \(toExpected) per channel; without it: \(toPlaceholder); with it mirrored: \(toWrong)")
        #expect(shown.width == 1280 && shown.height == 800)
        // baresip's snapshot went RGB → PNG → I420 here and the kiosk's picture through VP8: colours differ
        // by a few levels; a missing or wrong picture differs by tens.
        #expect(toExpected < 12, "the kiosk's screen does not show the agent's picture (difference \(toExpected))")
        #expect(toPlaceholder > 3 * toExpected && toWrong > 3 * toExpected)
    }

    /// A picture file's pixels through ffmpeg, in `format` (rgb24, yuv420p), with its size.
    static func rawPixels(_ path: String, format: String, dir: String) throws -> (width: Int, height: Int, bytes: [UInt8]) {
        let probe = try TestProcess("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                                                "-of", "csv=p=0", path], in: dir, name: "ffprobe")
        guard probe.wait(seconds: 20) == 0 else { throw TestSetupError("ffprobe \(path): \(probe.stderr)") }
        let size = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        guard size.count == 2 else { throw TestSetupError("ffprobe \(path): \(probe.stdout)") }
        let raw = "\(dir)/pixels-\(UUID().uuidString).raw"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let ffmpeg = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", path, "-pix_fmt", format, "-f", "rawvideo", raw],
                                     in: dir, name: "ffmpeg-raw")
        guard ffmpeg.wait(seconds: 20) == 0 else { throw TestSetupError("ffmpeg \(path): \(ffmpeg.stderr)") }
        return (size[0], size[1], [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw))))
    }

    /// An I420 picture flipped left to right.
    static func mirrored(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = bytes
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        var offset = 0
        for (w, h) in [(width, height), (cw, ch), (cw, ch)] {
            for row in 0..<h {
                let start = offset + row * w
                out.replaceSubrange(start..<start + w, with: bytes[start..<start + w].reversed())
            }
            offset += w * h
        }
        return out
    }

    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var sum = 0
        for i in a.indices { sum += abs(Int(a[i]) - Int(b[i])) }
        return Double(sum) / Double(a.count)
    }
}
