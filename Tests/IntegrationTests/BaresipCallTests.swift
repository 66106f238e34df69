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
        #expect(log.contains("call: chat from the agent: Ihr Antrag ist bereit"), "\(log)")
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
}
