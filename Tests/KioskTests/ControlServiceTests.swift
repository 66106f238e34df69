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
