import Control
import Logging
import Testing
@testable import Kiosk
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's side of the control socket without a socket: the `control` section, the log ring
/// kioskctl reads, and `config set`'s edit of the file (checked, then written whole).
@Suite struct ControlServiceTests {
    static func parse(_ json: String) throws(ConfigError) -> KioskConfig {
        try KioskConfig.parse(Array(json.utf8), file: "/etc/kioskd/kioskd.json")
    }

    @Test func theControlSectionDefaultsAndChecks() throws {
        let defaults = try Self.parse("{}").control
        #expect(defaults == ControlSettings(socketPath: "/run/kioskd/control.sock", group: nil, enabled: true, testDestination: nil))
        let set = try Self.parse(#"{"control": {"socketPath": "/tmp/k.sock", "group": "kioskd", "testDestination": "sip:test@cc.example"}}"#).control
        #expect(set.socketPath == "/tmp/k.sock" && set.group == "kioskd" && set.testDestination == "sip:test@cc.example")

        for (json, message) in [
            (#"{"control": {"testDestination": "tel:123"}}"#, "control.testDestination: 'tel:123' is not a sip: or sips: URI"),
            (#"{"control": {"socketPath": ""}}"#, "control.socketPath: an empty path"),
            (#"{"control": {"socketPath": "/\#(String(repeating: "x", count: 120))"}}"#, "control.socketPath: longer than 107 bytes"),
            (#"{"control": {"group": ""}}"#, "control.group: an empty group name"),
            (#"{"control": {"sockPath": "/x"}}"#, "control.sockPath: unknown setting"),
        ] {
            do {
                _ = try Self.parse(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test func theRingKeepsTheNewestLinesAndFiltersByLevel() {
        let ring = LogRing(capacity: 3)
        ring.append(level: .info, "one")
        ring.append(level: .error, "two")
        ring.append(level: .info, "three")
        ring.append(level: .warning, "four")
        #expect(ring.recent(10).map(\.text) == ["two", "three", "four"])
        #expect(ring.recent(2).map(\.text) == ["three", "four"])
        #expect(ring.recent(10, minimum: .warning).map(\.text) == ["two", "four"])
        #expect(ring.recent(10).map(\.sequence) == [2, 3, 4])
    }

    @Test func followersGetNewLinesAndLeaveWhenTheyStop() async {
        let ring = LogRing(capacity: 10)
        ring.append(level: .info, "before")
        let stream = ring.follow()
        ring.append(level: .info, "after 1")
        ring.append(level: .error, "after 2")
        var seen: [String] = []
        for await line in stream {
            seen.append(line.text)
            if seen.count == 2 { break }
        }
        #expect(seen == ["after 1", "after 2"])
    }

    @Test func theLogHandlerWritesLevelLabelAndMessage() {
        let ring = LogRing(capacity: 10)
        var logger = Logger(label: "kioskd") { LogRingHandler(label: $0, ring: ring, level: .info) }
        logger[metadataKey: "call"] = "7"
        logger.debug("not kept")
        logger.error("camera lost")
        let lines = ring.recent(10)
        #expect(lines.count == 1)
        #expect(lines.first?.level == .error)
        #expect(lines.first?.text.hasSuffix(" error kioskd: camera lost call=7") == true, "\(lines)")
    }

    @Test func configSetEditsOneKeyAndKeepsTheRest() throws {
        let tree = try ControlValue(parsing: #"{"kiosk": {"id": "K"}, "camera": {"fps": 30, "size": "640x480"}}"#)
        let fps = try ControlCommands.setting(.int(15), at: ["camera", "fps"], in: tree, key: "camera.fps")
        #expect(fps.json == #"{"kiosk":{"id":"K"},"camera":{"fps":15,"size":"640x480"}}"#)
        let new = try ControlCommands.setting(.string("tone:1000"), at: ["microphone", "device"], in: tree, key: "microphone.device")
        #expect(new["microphone"]?["device"]?.string == "tone:1000")
        #expect(throws: ControlFailure(.badArgument, "kiosk.id is a string, not a section")) {
            try ControlCommands.setting(.int(1), at: ["kiosk", "id", "x"], in: tree, key: "kiosk.id.x")
        }
    }

    @Test func secretsAreMaskedInConfigShow() throws {
        let tree = try ControlValue(parsing: #"{"sip": {"user": "kiosk", "password": "hunter2"}, "list": [{"token": "t"}]}"#)
        let shown = ControlCommands.masked(tree).json
        #expect(!shown.contains("hunter2") && !shown.contains("\"t\""))
        #expect(shown.contains(#""password":"********""#) && shown.contains(#""user":"kiosk""#))
    }

    @Test func theFileIsReplacedWholeWithItsMode() throws {
        let dir = "/tmp/kioskd-control-write-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkdir(dir, 0o700) == 0)
        defer {
            unlink("\(dir)/k.json")
            rmdir(dir)
        }
        let path = "\(dir)/k.json"
        let fd = open(path, O_WRONLY | O_CREAT, 0o640)
        close(fd)
        chmod(path, 0o640)
        try ControlCommands.writeAtomically("{\"a\": 1}\n", to: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o640 && info.st_size == 9)
        // Nothing but the file is left in the folder.
        #expect(ControlCommands.entries(dir) == ["k.json"])
        #expect(throws: ControlFailure.self) { try ControlCommands.writeAtomically("x", to: "\(dir)/missing/k.json") }
    }
}

/// `kioskctl devices` reads /proc; this machine has no sound card or input device, so the parsing is
/// checked on what a kiosk's /proc shows (snd-aloop plus an HDA card; a USB button box).
@Suite struct ControlDevicesParsingTests {
    @Test func soundCardsAndTheirPCMs() {
        let cards = """
             0 [Loopback       ]: Loopback - Loopback
                                  Loopback 1
             1 [PCH            ]: HDA-Intel - HDA Intel PCH
                                  HDA Intel PCH at 0xf7f10000 irq 32
            """
        let pcm = """
            00-00: Loopback PCM : Loopback PCM : playback 8 : capture 8
            00-01: Loopback PCM : Loopback PCM : playback 8 : capture 8
            01-00: ALC3232 Analog : ALC3232 Analog : playback 1 : capture 1
            01-03: HDMI 0 : HDMI 0 : playback 1
            """
        let found = ControlCommands.soundCards(cards: cards, pcm: pcm)
        #expect(found.count == 2)
        #expect(found[0]["id"]?.string == "Loopback" && found[0]["name"]?.string == "Loopback" && found[0]["card"]?.int == 0)
        #expect(found[1]["id"]?.string == "PCH" && found[1]["name"]?.string == "HDA Intel PCH")
        let hdmi = found[1]["pcm"]?.array?.last
        #expect(hdmi?["device"]?.string == "hw:PCH,3" && hdmi?["playback"]?.bool == true && hdmi?["capture"]?.bool == false)
        #expect(found[0]["pcm"]?.array?.count == 2)
    }

    @Test func inputDevicesWithTheirEventNodes() {
        let text = """
            I: Bus=0019 Vendor=0000 Product=0001 Version=0000
            N: Name="Power Button"
            P: Phys=LNXPWRBN/button/input0
            H: Handlers=kbd event0 
            B: EV=3

            I: Bus=0003 Vendor=16c0 Product=05df Version=0111
            N: Name="USB Call Button"
            P: Phys=usb-0000:00:14.0-2/input0
            H: Handlers=sysrq kbd leds event3 
            B: PROP=0

            """
        let found = ControlCommands.inputDevices(text)
        #expect(found.count == 2)
        #expect(found[1]["name"]?.string == "USB Call Button")
        #expect(found[1]["devices"] == ["/dev/input/event3"])
        #expect(found[0]["devices"] == ["/dev/input/event0"])
    }
}
