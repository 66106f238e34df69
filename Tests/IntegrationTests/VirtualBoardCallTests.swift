import Display
import Foundation
import Synchronization
import Testing

/// The whole kiosk on the virtual board: the real `kioskd run` in the QEMU guest with vivid as its camera,
/// snd-aloop as its microphone and speaker, the bochs framebuffer as its screen and a uinput keyboard as
/// its call button; baresip, the agent, on the host. The test presses the button through uinput and
/// follows the call as a customer and an agent would see it: the INVITE with the kiosk's context, the
/// screens (QEMU screendumps), the agent's decoded audio, the consent before any camera frame, vivid's
/// picture at the agent after the customer agreed, and the screen back at idle after the agent hung up.
///
/// The network is QEMU's user networking: the guest reaches the host's loopback at 10.0.2.2 and the host
/// reaches the guest only through forwarded ports. The kiosk is set up as behind any NAT: it advertises
/// the forwarded address (127.0.0.1 and the forwarded SIP port, an RTP port range forwarded port for port).
/// Kamailio stands between as the contact center's border proxy: it record-routes both ways (127.0.0.1
/// toward the agent, 10.0.2.2 toward the kiosk) and rewrites the agent's SDP address for the kiosk, as a
/// session border controller does for a kiosk behind NAT.
@Suite(.serialized)
struct VirtualBoardCallTests {
    static let toneHz = 440.0
    static let agentToneHz = 660.0

    static func borderProxyConfig(port: Int, agentPort: Int) -> String {
        """
        #!KAMAILIO
        # The contact center's border proxy for a kiosk behind NAT (the virtual board's user networking).
        debug=2
        log_stderror=yes
        memdbg=5
        memlog=5
        children=2
        auto_aliases=no
        listen=udp:127.0.0.1:\(port)
        alias="127.0.0.1:\(port)"
        alias="10.0.2.2:\(port)"

        loadpath "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
        loadmodule "tm.so"
        loadmodule "tmx.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"

        request_route {
            if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
            xlog("L_INFO", "REQ $rm $ru from $fu (src $si:$sp)\\n");
            if ($sp == \(agentPort)) route(TOKIOSK);
            if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
            if (!is_method("ACK")) {
                if (t_precheck_trans()) { t_check_trans(); exit; }
                t_check_trans();
            }
            # In a dialog, the Request-URI is the other side's Contact, reachable from here: the Route
            # headers name only this proxy (under both its addresses).
            if (has_totag()) { remove_hf("Route"); route(RELAY); }
            remove_hf("Route");
            # Two Record-Routes: the agent's side reaches this proxy at 127.0.0.1, the kiosk's at 10.0.2.2.
            if (is_method("INVITE")) record_route_preset("127.0.0.1:\(port)", "10.0.2.2:\(port)");
            route(RELAY);
        }

        # What the agent sends toward the kiosk: its media address as the kiosk can reach it.
        route[TOKIOSK] {
            if (has_body("application/sdp")) subst_body("/IN IP4 127\\.0\\.0\\.1/IN IP4 10.0.2.2/g");
        }

        onreply_route {
            if ($sp == \(agentPort) && has_body("application/sdp")) subst_body("/IN IP4 127\\.0\\.0\\.1/IN IP4 10.0.2.2/g");
        }

        route[RELAY] {
            if (!t_relay()) sl_reply_error();
            exit;
        }
        """
    }

    /// Waits for a file the guest writes into the share.
    static func waitForFile(_ path: String, seconds: Double, while running: () -> Bool) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if FileManager.default.fileExists(atPath: path) { return true }
            if !running() { return FileManager.default.fileExists(atPath: path) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    @Test func aPressOnTheBoardCallsTheAgentAndTheScreenFollowsTheCall() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("vboard-call")
        // KIOSKD_KEEP_TEST_DIRS=1 keeps the screendumps, the logs and the agent's files for a look.
        defer { if ProcessInfo.processInfo.environment["KIOSKD_KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let board = try VirtualBoard(in: dir)
        let share = board.share

        // The host side: the agent rings until the test answers; the border proxy in front of it.
        let kioskSIPPort = try TestEnvironment.freePort()
        let rtpBase = try TestEnvironment.freeEvenPortBlock(count: 8)
        // The agent's picture small and slow: the guest's CPUs are emulated (TCG), and decoding and
        // drawing 25 pictures a second starves the kiosk's microphone thread there.
        let agent = try BaresipAgent(in: "\(dir)/agent", toneHz: Self.agentToneHz, kioskURI: "sip:kiosk@127.0.0.1:\(kioskSIPPort)",
                                     answerMode: "manual", videoSize: "320x240", videoFPS: 10)
        try agent.start()
        defer { agent.stop() }
        let control = try BaresipControl(port: agent.controlPort)
        try FileManager.default.createDirectory(atPath: "\(dir)/proxy", withIntermediateDirectories: true)
        let proxy = try KamailioPeer(in: "\(dir)/proxy", config: { Self.borderProxyConfig(port: $0, agentPort: agent.sipPort) })
        try proxy.start()
        defer { proxy.stop() }

        // The guest's inputs: fonts (the screens are compared with the host's drawing), the tone the
        // customer "speaks" into the loopback, the configuration.
        try FileManager.default.createDirectory(atPath: "\(share)/fonts", withIntermediateDirectories: true)
        for font in VirtualBoardScreenTests.fonts {
            try FileManager.default.copyItem(atPath: font, toPath: "\(share)/fonts/\(URL(fileURLWithPath: font).lastPathComponent)")
        }
        try VirtualBoardScreenTests.fontConfig(directory: "/mnt/fonts", cache: "/tmp/fc")
            .write(toFile: "\(share)/fonts.conf", atomically: true, encoding: .utf8)
        try BoardMedia.writeToneWAV("\(share)/tone.wav", frequency: Self.toneHz, amplitude: 0.5, seconds: 170)
        // The guest's CPUs are emulated: the echo canceller there starves the microphone thread (measured:
        // 102 Opus packets sent in a 45 s call with it, 533 without), so this board runs without it, and
        // the agent's picture small and slow, the screen at 10 fps, as a weak board would be set up.
        let kioskName = "Stadtbüro Nord"
        let config = """
        {
          "kiosk": { "id": "KSK-VB-07", "name": "\(kioskName)" },
          "log": { "level": "info" },
          "camera": { "device": "/dev/video0", "size": "640x360", "fps": 15 },
          "microphone": { "device": "hw:Loopback,1,0" },
          "speaker": { "device": "hw:Loopback,0,1", "noiseSuppression": false, "echoCancellation": false },
          "video": { "bitrateKbps": 600, "cpuUsed": -16 },
          "display": { "device": "/dev/fb0", "languages": ["de"], "fps": 10 },
          "input": { "retrySeconds": 0.3, "evdev": { "device": "name:kioskd-test-button" } },
          "sip": { "port": 5060, "advertisedAddress": "127.0.0.1", "advertisedPort": \(kioskSIPPort),
                   "rtpPorts": "\(rtpBase)-\(rtpBase + 7)", "user": "kiosk", "domain": "127.0.0.1", "keepAliveSeconds": 0 },
          "contactCenter": { "categories": { "loans": "\(agent.uri)" }, "defaultTarget": "\(agent.uri)",
                             "endpoints": ["sip:10.0.2.2:\(proxy.port)"], "healthCheckSeconds": 0 },
          "context": { "site": "Bezirksamt Nord", "address": "Hauptstraße 7", "floor": "1" }
        }
        """
        try config.write(toFile: "\(share)/kioskd.json", atomically: true, encoding: .utf8)

        // The guest: vivid without its on-screen text (a still picture to compare), a reference frame
        // taken before kioskd runs, the tone on the loopback, kioskd, and a button pressed on cue.
        let k = VirtualBoardTests.guestName(kioskd)
        let guest = """
        export FONTCONFIG_FILE=/mnt/fonts.conf
        mkdir -p /tmp/fc
        v4l2-ctl -d /dev/video0 -c osd_text_mode=2 || exit 20
        v4l2-ctl -d /dev/video0 --set-fmt-video=width=640,height=360,pixelformat=YUYV --set-parm=15 > /dev/null || exit 20
        v4l2-ctl -d /dev/video0 --stream-mmap --stream-count=3 --stream-to=/mnt/vivid.yuyv || exit 20
        aplay -q -D hw:Loopback,0,0 /mnt/tone.wav 2> /mnt/aplay.err &
        \(k) run --config /mnt/kioskd.json > /mnt/kioskd.log 2>&1 &
        kpid=$!
        waitlog() { i=0; while [ $i -lt $2 ]; do grep -q "$1" /mnt/kioskd.log && return 0; kill -0 $kpid 2>/dev/null || return 1; sleep 0.2; i=$((i+1)); done; return 1; }
        waitfile() { i=0; while [ $i -lt $2 ]; do [ -e "$1" ] && return 0; sleep 0.2; i=$((i+1)); done; return 1; }
        press() { \(k) input-test --uinput-wait 1 --uinput-script "call:press,150ms,call:release" 2>> /mnt/press.err; }
        waitlog "screen: idle" 600 || { echo "no idle screen"; exit 21; }
        touch /mnt/idle.ready
        waitfile /mnt/press1.go 900 || exit 22
        press
        waitlog "screen: connecting" 300 || { echo "no connecting screen"; exit 23; }
        touch /mnt/connecting.ready
        waitlog "screen: in call" 600 || { echo "no in-call screen"; exit 24; }
        touch /mnt/incall.ready
        # The agent's audio on the kiosk's speaker (the loopback's subdevice 1), a few seconds of it.
        arecord -q -D hw:Loopback,1,1 -f S16_LE -r 48000 -c 1 -d 4 /mnt/speaker.wav 2> /mnt/arecord.err
        touch /mnt/speaker.ready
        waitfile /mnt/press2.go 900 || exit 25
        press
        waitfile /mnt/done.go 1500 || exit 26
        kill $kpid; wait $kpid
        echo "kioskd ended with $?"
        echo GUEST-DONE
        """
        // The screens against the same binary's drawing on the host, with the same fonts.
        let hostFonts = "\(dir)/host-fonts.conf"
        try VirtualBoardScreenTests.fontConfig(directory: "\(share)/fonts", cache: "\(dir)/fc").write(toFile: hostFonts, atomically: true, encoding: .utf8)
        func drawnOnHost(_ name: String, _ arguments: [String]) throws -> Surface {
            let host = try TestProcess("/usr/bin/env", ["FONTCONFIG_FILE=\(hostFonts)", kioskd, "screen", "--config", "\(share)/kioskd.json",
                                                        "--display", "offscreen:\(dir)/host-\(name)", "--language", "de"] + arguments,
                                       in: dir, name: "host-\(name)")
            try #require(host.wait(seconds: 60) == 0, "kioskd screen on the host: \(host.stderr)")
            return try Surface.readPNG(from: "\(dir)/host-\(name)/frame-000001.png")
        }
        func compare(_ shown: Surface, _ reference: Surface, _ what: String) -> PictureDifference {
            let difference = PictureDifference(actual: shown, reference: reference)
            print("\(what): mean difference \(difference.meanAbsoluteDifference), \(difference.strongDifferenceFraction * 100) % of pixels off by more than 32")
            return difference
        }
        let idleDrawn = try drawnOnHost("idle", ["--show", "idle"])
        let connectingDrawn = try drawnOnHost("connecting", ["--show", "connecting", "--category", "loans"])

        let monitor = "\(dir)/monitor.sock"
        let forwards = ["udp::\(kioskSIPPort)-:5060"] + (rtpBase..<(rtpBase + 8)).map { "udp::\($0)-:\($0)" }

        // The board runs on its own thread; this one plays the host's part.
        let run = BoardRun()
        Thread {
            let result = Result { try board.run(script: guest, name: "call", binaries: [kioskd], timeoutSeconds: 420, monitor: monitor,
                                                hostForwards: forwards) }
            run.finish(result)
        }.start()
        var boardRunning: Bool { !run.isFinished }
        // However the test ends, the guest is let go and the board waited for (it stops QEMU itself).
        defer {
            try? "".write(toFile: "\(share)/done.go", atomically: true, encoding: .utf8)
            run.wait()
        }
        let screendumper = VirtualBoardScreenTests.Screendumper(monitor: monitor, share: share, names: [])
        // The framebuffer is single-buffered: a dump can catch a picture half drawn. Dumps are taken
        // until two in a row agree (or the last is kept).
        func dump(_ name: String, settled: Bool = true) throws -> Surface {
            var previous: Surface?
            for attempt in 0..<(settled ? 8 : 1) {
                let ppm = "\(share)/\(name).ppm", png = "\(dir)/\(name)\(attempt > 0 ? "-\(attempt)" : "").png"
                try #require(screendumper.screendump(to: ppm), "no screendump \(name)")
                let convert = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", ppm, png], in: dir, name: "ffmpeg-\(name)")
                try #require(convert.wait(seconds: 20) == 0, "ffmpeg: \(convert.stderr)")
                let surface = try Surface.readPNG(from: png)
                if let previous, PictureDifference(actual: surface, reference: previous).isWithin(meanAbsoluteDifference: 0.5, strongDifferenceFraction: 0.001) {
                    return surface
                }
                previous = surface
                Thread.sleep(forTimeInterval: 0.5)
            }
            return previous!
        }
        var kioskLog: String { board.file("kioskd.log") }
        func step(_ file: String, _ what: String, seconds: Double) throws {
            guard Self.waitForFile("\(share)/\(file)", seconds: seconds, while: { boardRunning }) else {
                try #require(Bool(false), "\(what); kioskd:\n\(kioskLog)\nguest:\n\(board.file("guest.log"))")
                return
            }
        }

        // Idle: nothing is called before a press.
        try step("idle.ready", "kioskd did not show its idle screen", seconds: 240)
        // The first drawing (fonts loaded under TCG) may come a few seconds after the log line.
        var idle = try dump("idle")
        let idleSince = Date()
        while Date().timeIntervalSince(idleSince) < 30,
              !PictureDifference(actual: idle, reference: idleDrawn).isWithin(meanAbsoluteDifference: 1.0, strongDifferenceFraction: 0.005) {
            Thread.sleep(forTimeInterval: 1)
            idle = try dump("idle")
        }
        #expect(!agent.log.contains("INVITE sip:"))

        // The press: an INVITE with the kiosk's context reaches the agent, who lets it ring.
        try "".write(toFile: "\(share)/press1.go", atomically: true, encoding: .utf8)
        try step("connecting.ready", "the press did not start a call", seconds: 60)
        var events: [[String: Any]] = []
        // An event may have come back with a command's reply already.
        func agentEvent(_ name: String, seconds: Double) -> Bool {
            events.contains { ($0["type"] as? String) == name } || BaresipCallTests.waitForEvent(control, name, seconds: seconds, seen: &events) != nil
        }
        let invited = agentEvent("CALL_INCOMING", seconds: 30) ? true : nil
        let connecting = try dump("connecting")
        try #require(invited != nil, "the INVITE did not reach the agent; kioskd:\n\(kioskLog)\nagent:\n\(agent.log.suffix(3000))")
        let invite = agent.log.components(separatedBy: "INVITE sip:").dropFirst().first ?? ""
        #expect(invite.contains("X-Kiosk-Id: KSK-VB-07"), "\(invite.prefix(3000))")
        #expect(invite.contains("User-to-User:"), "\(invite.prefix(3000))")

        // The agent answers; the kiosk's screen shows the agent's picture.
        events += try control.send("accept", "", wait: 0.5)
        try #require(agentEvent("CALL_ESTABLISHED", seconds: 30),
                     "the call was not established; kioskd:\n\(kioskLog)")
        try step("incall.ready", "the kiosk did not show the call", seconds: 60)
        Thread.sleep(forTimeInterval: 8)  // pictures decoded and drawn under TCG
        try control.send("snapshot_send", "\(dir)/agent-sent.png", wait: 0.3)
        let inCall = try dump("in-call")
        try step("speaker.ready", "the guest did not record the kiosk's speaker", seconds: 60)

        // Before any consent: not one camera frame, no video at the agent.
        try control.send("video_dir", "sendrecv", wait: 0.5)
        let asked = Date()
        while Date().timeIntervalSince(asked) < 30 && !kioskLog.contains("the agent asks for the camera") { Thread.sleep(forTimeInterval: 0.2) }
        let askedLine = kioskLog.split(separator: "\n").first { $0.contains("the agent asks for the camera") }.map(String.init) ?? ""
        #expect(askedLine.contains("; 0 camera frames captured since start"), "\(kioskLog)")
        #expect(!kioskLog.contains("video: /dev/video0"), "the camera was opened before the customer agreed:\n\(kioskLog)")
        Thread.sleep(forTimeInterval: 2)
        // baresip writes a snapshot of received video only once it has decoded a picture.
        events += try control.send("snapshot_recv", "\(dir)/before-consent.png", wait: 1.5)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/before-consent.png"), "the agent had video from the kiosk before consent")
        let consentPrompt = try dump("consent")

        // The customer agrees with a press: vivid's picture reaches the agent.
        try "".write(toFile: "\(share)/press2.go", atomically: true, encoding: .utf8)
        let agreed = Date()
        while Date().timeIntervalSince(agreed) < 30 && !kioskLog.contains("video: /dev/video0") { Thread.sleep(forTimeInterval: 0.2) }
        #expect(kioskLog.contains("the customer agreed to the camera"), "\(kioskLog)")
        Thread.sleep(forTimeInterval: 10)
        try control.send("snapshot_recv", "\(dir)/agent-received.png", wait: 1)
        let cameraOn = try dump("camera-on")

        // The agent hangs up: call ended, then idle again.
        try control.send("hangup", "", wait: 0.5)
        let hungUp = Date()
        while Date().timeIntervalSince(hungUp) < 40 && KioskFlowRunTests.screens(kioskLog).filter({ $0 == "idle" }).count < 2 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let idleAgain = try dump("idle-again")
        try "".write(toFile: "\(share)/done.go", atomically: true, encoding: .utf8)
        let result = try run.wait().get()
        try #require(result.exitCode == 0 && result.guestLog.contains("GUEST-DONE"), "\(result.failureReport)\nkioskd:\n\(kioskLog)")
        print(result.summary)
        let log = kioskLog
        print(log.split(separator: "\n").filter { $0.contains("screen:") || $0.contains("call:") || $0.contains("video:") || $0.contains("kiosk:") }
            .joined(separator: "\n"))

        // The screens, in order, and as drawn.
        #expect(KioskFlowRunTests.screens(log).prefix(4) == ["idle", "connecting", "in call", "call ended (the agent hung up)"], "\(KioskFlowRunTests.screens(log))")
        #expect(KioskFlowRunTests.screens(log).last == "idle")
        #expect(log.contains("answered, ended by agent, camera shared"), "\(log)")

        // The customer's voice (the tone on the loopback) decoded by the agent.
        let decoded = try BaresipAgent.decodedAudio(in: agent.recordDir)
        let voiced = decoded.count > 4800 ? Array(decoded[4800...]) : decoded
        let heard = SignalAnalysis.tone(voiced[...], sampleRate: 48_000)
        let heardPeak = SignalAnalysis.strongestFrequency(voiced[...], sampleRate: 48_000, in: 200...1200)
        print("agent decoded \(Double(decoded.count) / 48_000) s of the kiosk's audio: strongest at \(heardPeak) Hz, RMS \(heard.rms)")
        #expect(abs(heardPeak - Self.toneHz) <= 20 && heard.rms > 0.05 && decoded.count >= 48_000, "the agent did not hear the kiosk's microphone")
        // The agent's voice on the kiosk's speaker.
        let speaker = try Self.wavSamples("\(share)/speaker.wav")
        let played = SignalAnalysis.tone(speaker[...], sampleRate: 48_000)
        let playedPeak = SignalAnalysis.strongestFrequency(speaker[...], sampleRate: 48_000, in: 200...1200)
        print("kiosk's speaker: \(Double(speaker.count) / 48_000) s recorded: strongest at \(playedPeak) Hz, RMS \(played.rms)")
        #expect(abs(playedPeak - Self.agentToneHz) <= 20 && played.rms > 0.05, "the kiosk's speaker did not play the agent")

        // vivid's picture at the agent (after consent): its luma against the frame taken in the guest
        // before kioskd ran, and against the same frame mirrored.
        let vivid = try Self.vividLuma("\(share)/vivid.yuyv", width: 640, height: 360)
        let received = try BaresipCallTests.rawPixels("\(dir)/agent-received.png", format: "gray", dir: dir)
        try #require(received.width == 640 && received.height == 360, "the agent's picture is \(received.width)x\(received.height)")
        let psnr = SignalAnalysis.lumaPSNR(received.bytes[...], vivid[...], lumaCount: vivid.count)
        let mirroredPSNR = SignalAnalysis.lumaPSNR(received.bytes[...], Self.mirroredRows(vivid, width: 640)[...], lumaCount: vivid.count)
        print("agent's picture vs vivid's: \(psnr) dB; vs vivid's mirrored: \(mirroredPSNR) dB")
        #expect(psnr > 30 && psnr > mirroredPSNR + 10, "the agent does not see vivid's picture")

        #expect(compare(idle, idleDrawn, "idle screen vs the host's").isWithin(meanAbsoluteDifference: 1.0, strongDifferenceFraction: 0.005))
        #expect(compare(idleAgain, idleDrawn, "idle screen after the call vs the host's").isWithin(meanAbsoluteDifference: 1.0, strongDifferenceFraction: 0.005))
        // The connecting screen's spinner turns: a few pixels differ.
        #expect(compare(connecting, connectingDrawn, "connecting screen vs the host's").isWithin(meanAbsoluteDifference: 1.5, strongDifferenceFraction: 0.02))
        #expect(!compare(connecting, idleDrawn, "connecting screen vs idle").isWithin(meanAbsoluteDifference: 1.5, strongDifferenceFraction: 0.02))
        // In the call: the agent's picture (what baresip sent, through VP8 both ways) vs the same mirrored.
        let sentIVF = "\(dir)/agent-sent.ivf", mirroredIVF = "\(dir)/agent-mirrored.ivf"
        for (output, filter) in [(sentIVF, "null"), (mirroredIVF, "hflip")] {
            let encode = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", "\(dir)/agent-sent.png", "-vf", filter,
                                                    "-c:v", "libvpx", "-b:v", "2M", "-frames:v", "1", "-f", "ivf", output], in: dir, name: "ffmpeg-ivf")
            try #require(encode.wait(seconds: 30) == 0, "ffmpeg: \(encode.stderr)")
        }
        let inCallDrawn = try drawnOnHost("in-call", ["--show", "in-call", "--video", sentIVF])
        let inCallWrong = try drawnOnHost("in-call-mirrored", ["--show", "in-call", "--video", mirroredIVF])
        let toExpected = compare(inCall, inCallDrawn, "in-call screen vs the host's with the agent's picture")
        let toWrong = compare(inCall, inCallWrong, "in-call screen vs the host's with the picture mirrored")
        #expect(toExpected.meanAbsoluteDifference < 12 && toWrong.meanAbsoluteDifference > 3 * toExpected.meanAbsoluteDifference)
        // The consent prompt covers the call; the camera-live badge shows once the camera is on (top right).
        #expect(!compare(consentPrompt, inCall, "consent prompt vs the call").isWithin(meanAbsoluteDifference: 3, strongDifferenceFraction: 0.05))
        let badge = (x: 1000, y: 0, width: 280, height: 80)
        let badgeBefore = inCall.region(badge), badgeAfter = cameraOn.region(badge)
        let badgeChange = BaresipCallTests.meanAbsoluteDifference(badgeBefore, badgeAfter)
        print("top right corner, camera on vs off: \(badgeChange) per channel")
        #expect(badgeChange > 20, "no camera-live indicator")
    }

    /// The luma of the first YUYV frame in `path`.
    static func vividLuma(_ path: String, width: Int, height: Int) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= width * height * 2 else { throw TestSetupError("\(path): \(bytes.count) bytes, not a \(width)x\(height) YUYV frame") }
        return (0..<(width * height)).map { bytes[$0 * 2] }
    }

    static func mirroredRows(_ plane: [UInt8], width: Int) -> [UInt8] {
        stride(from: 0, to: plane.count, by: width).flatMap { plane[$0..<($0 + width)].reversed() }
    }

    /// The samples of a 16-bit mono WAV file (its data chunk).
    static func wavSamples(_ path: String) throws -> [Int16] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if id == "data" {
                let end = min(bytes.count, offset + 8 + size)
                return stride(from: offset + 8, to: end - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
            }
            offset += 8 + size
        }
        throw TestSetupError("\(path): no data chunk")
    }
}

extension Surface {
    /// The RGB bytes of a rectangle, row by row.
    func region(_ r: (x: Int, y: Int, width: Int, height: Int)) -> [UInt8] {
        var out: [UInt8] = []
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) {
                let p = pixel(x: x, y: y)
                out += [UInt8(p >> 16 & 0xFF), UInt8(p >> 8 & 0xFF), UInt8(p & 0xFF)]
            }
        }
        return out
    }
}

/// The board's run on its own thread, as the test's host side sees it.
final class BoardRun: Sendable {
    private let outcome = Mutex<Result<VirtualBoard.Outcome, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ result: Result<VirtualBoard.Outcome, any Error>) {
        outcome.withLock { $0 = result }
        done.signal()
    }

    var isFinished: Bool { outcome.withLock { $0 != nil } }

    @discardableResult
    func wait() -> Result<VirtualBoard.Outcome, any Error> {
        if let result = outcome.withLock({ $0 }) { return result }
        done.wait()
        done.signal()
        return outcome.withLock { $0! }
    }
}
