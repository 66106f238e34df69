import Foundation
import Testing

/// `kioskctl devices` against the real daemon on the virtual board, where the kernel has real drivers:
/// vivid (a camera with many formats), snd-aloop (the Loopback card) and snd-dummy, bochs (fb0) and vfb,
/// and a uinput keyboard made for the test. What the technician reads must be what the kernel has.
@Suite(.serialized)
struct VirtualBoardDevicesTests {
    static let buttonName = "kioskd-devices-button"

    @Test func kioskctlDevicesListsTheBoardsCameraSoundCardsFramebuffersAndButton() throws {
        let kioskd = try TestEnvironment.kioskd()
        let kioskctl = try KioskCtlTests.kioskctl()
        let dir = try TestEnvironment.temporaryDirectory("vboard-devices")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let board = try VirtualBoard(in: dir)
        // No SIP section: the daemon runs its device watch and control socket, which is all `devices` needs.
        try """
        { "kiosk": { "id": "KSK-VB-DEV", "name": "Board devices" }, "camera": { "device": "/dev/video0" },
          "microphone": { "device": "hw:Loopback,1,0" }, "control": { "socketPath": "/tmp/kioskd.sock" } }
        """.write(toFile: "\(board.share)/kioskd.json", atomically: true, encoding: .utf8)
        let k = VirtualBoardTests.guestName(kioskd), c = VirtualBoardTests.guestName(kioskctl)
        let guest = """
        \(k) run --config /mnt/kioskd.json > /mnt/kioskd.log 2>&1 &
        kpid=$!
        # The button: a uinput keyboard that stays while kioskctl looks (it plays nothing but a pause).
        \(k) input-test --uinput-name \(Self.buttonName) --uinput-wait 60 --uinput-script 10ms 2> /mnt/uinput.err &
        upid=$!
        i=0; until grep -q "control: listening" /mnt/kioskd.log && grep -q "\(Self.buttonName)" /proc/bus/input/devices; do
          i=$((i+1)); [ $i -gt 300 ] && { echo "no control socket or no button"; cat /mnt/kioskd.log; exit 21; }; sleep 0.2
        done
        fbset -fb /dev/fb0 > /mnt/fbset-before.txt 2>&1
        # vfb's fb1 with a virtual screen two pages tall, as a panning driver has it.
        fbset -fb /dev/fb1 -vyres 960 > /mnt/fbset1.err 2>&1; fbset -fb /dev/fb1 > /mnt/fbset1.txt 2>&1
        # kioskd's screen on fb0 meanwhile: it asks the driver for a virtual screen two pages tall.
        \(k) screen --display /dev/fb0 --show idle --hold 60 > /mnt/screen.log 2>&1 &
        spid=$!
        sleep 3
        \(c) devices --json --socket /tmp/kioskd.sock > /mnt/devices.json 2> /mnt/devices.err; echo $? > /mnt/devices.rc
        \(c) devices --socket /tmp/kioskd.sock > /mnt/devices.txt 2>> /mnt/devices.err
        # What the kernel itself says, to compare.
        v4l2-ctl -d /dev/video0 --list-formats > /mnt/v4l2-formats.txt 2>&1
        cat /proc/asound/cards > /mnt/asound-cards.txt
        fbset -fb /dev/fb0 > /mnt/fbset.txt 2>&1
        kill $spid $upid $kpid; wait $kpid
        echo GUEST-DONE
        """
        let outcome = try board.run(script: guest, name: "devices", binaries: [kioskd, kioskctl], network: false, timeoutSeconds: 150)
        try #require(outcome.exitCode == 0 && outcome.guestLog.contains("GUEST-DONE"), "\(outcome.failureReport)")
        print("kioskctl devices on the board:\n\(board.file("devices.txt"))")
        print("fbset before kioskd drew on fb0:\n\(board.file("fbset-before.txt"))while it drew:\n\(board.file("fbset.txt"))kioskd screen: \(board.file("screen.log"))")
        #expect(board.file("devices.rc").trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(board.file("devices.err"))")
        let devices = try #require(try JSONSerialization.jsonObject(with: Data(board.file("devices.json").utf8)) as? [String: Any],
                                   "\(board.file("devices.json"))")

        // The camera: vivid at /dev/video0 with its packed YUV formats in the webcam input's sizes.
        let cameras = devices["cameras"] as? [[String: Any]] ?? []
        let vivid = try #require(cameras.first { $0["path"] as? String == "/dev/video0" }, "\(cameras)")
        #expect(vivid["card"] as? String == "vivid", "\(vivid)")
        let formats = vivid["formats"] as? [[String: Any]] ?? []
        let fourccs = formats.compactMap { $0["fourcc"] as? String }
        #expect(["YUYV", "UYVY", "NV12"].allSatisfy(fourccs.contains), "\(fourccs)")
        // Every format v4l2-ctl lists (`[3]: 'Y16 -BE' (16-bit Greyscale BE)`), in its order and notation.
        let listed = board.file("v4l2-formats.txt").split(separator: "\n").compactMap { line -> String? in
            guard let match = line.firstMatch(of: #/\[\d+\]: '([^']+)'/#) else { return nil }
            return String(match.output.1)
        }
        #expect(listed.count > 64, "vivid offers more formats than 64: \(listed.count)")
        #expect(fourccs == listed, "kioskctl: \(fourccs)\nv4l2-ctl: \(listed)")
        let yuyv = try #require(formats.first { $0["fourcc"] as? String == "YUYV" })
        let sizes = yuyv["sizes"] as? [String] ?? []
        #expect(["320x180", "640x360", "1280x720", "1920x1080"].allSatisfy(sizes.contains), "\(sizes)")
        #expect((yuyv["description"] as? String ?? "").contains("YUYV"), "\(yuyv)")

        // The sound cards: Loopback (both ways on its first PCM) and Dummy, as /proc/asound/cards has them.
        let cards = devices["soundCards"] as? [[String: Any]] ?? []
        let loopback = try #require(cards.first { $0["id"] as? String == "Loopback" }, "\(cards)\n\(board.file("asound-cards.txt"))")
        #expect(loopback["name"] as? String == "Loopback", "\(loopback)")
        let pcms = loopback["pcm"] as? [[String: Any]] ?? []
        let first = try #require(pcms.first { $0["device"] as? String == "hw:Loopback,0" }, "\(pcms)")
        #expect(first["playback"] as? Bool == true && first["capture"] as? Bool == true, "\(first)")
        #expect(pcms.contains { $0["device"] as? String == "hw:Loopback,1" })
        #expect(cards.contains { $0["id"] as? String == "Dummy" }, "\(cards)")

        // The framebuffer: bochs' fb0 at the mode it shows, 1280x800 at 32 bits (fbset says the same).
        let framebuffers = devices["framebuffers"] as? [[String: Any]] ?? []
        let fb0 = try #require(framebuffers.first { $0["path"] as? String == "/dev/fb0" }, "\(framebuffers)")
        #expect(fb0["size"] as? String == "1280x800", "\(fb0)\n\(board.file("fbset.txt"))")
        // The virtual screen, when kioskd's two pages made it taller, is listed as such (fbset's geometry).
        let geometry = board.file("fbset.txt").firstMatch(of: #/geometry (\d+) (\d+) (\d+) (\d+) (\d+)/#)
        let virtual = try #require(geometry.map { "\($0.output.3)x\($0.output.4)" }, "\(board.file("fbset.txt"))")
        #expect((fb0["virtualSize"] as? String ?? "1280x800") == virtual, "\(fb0)")
        #expect(fb0["bitsPerPixel"] as? String == "32", "\(fb0)")
        #expect((fb0["driver"] as? String ?? "").contains("bochs"), "\(fb0)")
        // fb1 shows 640x480 of a 640x960 virtual screen: the size is what is shown, not sysfs' virtual_size.
        let fb1 = try #require(framebuffers.first { $0["path"] as? String == "/dev/fb1" }, "\(framebuffers)")
        #expect(board.file("fbset1.txt").contains("geometry 640 480 640 960 8"), "\(board.file("fbset1.txt"))\(board.file("fbset1.err"))")
        #expect(fb1["size"] as? String == "640x480" && fb1["virtualSize"] as? String == "640x960" && fb1["bitsPerPixel"] as? String == "8", "\(fb1)")

        // The button, by the name it gave itself, with its event node.
        let inputs = devices["inputDevices"] as? [[String: Any]] ?? []
        let button = try #require(inputs.first { $0["name"] as? String == Self.buttonName }, "\(inputs)")
        let nodes = button["devices"] as? [String] ?? []
        #expect(nodes.count == 1 && nodes[0].hasPrefix("/dev/input/event"), "\(button)")
    }

    /// `kioskd_device_up` from the real daemon on the board, through its fleet API (forwarded to the
    /// host's loopback): vivid, the Loopback card both ways, bochs' fb0 the screen draws on and the uinput
    /// button are all up; once the button's keyboard is gone and vivid unloaded, input and camera are
    /// down and the rest stays up.
    @Test func deviceHealthInMetricsFollowsTheBoardsDevices() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("vboard-health")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let board = try VirtualBoard(in: dir)
        let share = board.share
        _ = try TestEnvironment.selfSignedCertificate(in: share, name: "fleet")
        let token = "board-\(UInt64.random(in: 1...UInt64.max))"
        let fleetPort = try TestEnvironment.freeTCPPort()
        try """
        { "kiosk": { "id": "KSK-VB-HEALTH", "name": "Board health" }, "log": { "level": "info" },
          "camera": { "device": "/dev/video0" }, "microphone": { "device": "hw:Loopback,1,0" },
          "speaker": { "device": "hw:Loopback,0,1" }, "display": { "device": "/dev/fb0", "fps": 2 },
          "input": { "retrySeconds": 0.3, "evdev": { "device": "name:\(Self.buttonName)" } },
          "sip": { "port": 5060, "user": "kiosk", "domain": "127.0.0.1", "keepAliveSeconds": 0 },
          "contactCenter": { "defaultTarget": "sip:agent@10.0.2.2:9", "healthCheckSeconds": 0 },
          "control": { "enabled": false },
          "fleet": { "address": "0.0.0.0", "port": 8443, "certificate": "/mnt/fleet.crt", "key": "/mnt/fleet.key",
                     "tokens": { "test": "\(try TestEnvironment.sha256sum(text: token))" } } }
        """.write(toFile: "\(share)/kioskd.json", atomically: true, encoding: .utf8)
        let k = VirtualBoardTests.guestName(kioskd)
        let guest = """
        \(k) input-test --uinput-name \(Self.buttonName) --uinput-wait 300 --uinput-script 10ms 2> /mnt/uinput.err &
        upid=$!
        \(k) run --config /mnt/kioskd.json > /mnt/kioskd.log 2>&1 &
        kpid=$!
        waitlog() { i=0; while [ $i -lt $2 ]; do grep -q "$1" /mnt/kioskd.log && return 0; kill -0 $kpid 2>/dev/null || return 1; sleep 0.2; i=$((i+1)); done; return 1; }
        waitfile() { i=0; while [ $i -lt $2 ]; do [ -e "$1" ] && return 0; sleep 0.2; i=$((i+1)); done; return 1; }
        waitlog "fleet: API listening" 300 || { echo "no fleet API"; exit 21; }
        waitlog "screen: idle" 300 || { echo "no idle screen"; exit 22; }
        touch /mnt/up.ready
        waitfile /mnt/unplug.go 600 || exit 23
        kill $upid; wait $upid
        rmmod vivid > /mnt/rmmod.log 2>&1; ls /dev/video* >> /mnt/rmmod.log 2>&1
        touch /mnt/unplugged.ready
        waitfile /mnt/done.go 600 || exit 24
        kill $kpid; wait $kpid
        echo GUEST-DONE
        """
        let run = BoardRun()
        Thread {
            run.finish(Result { try board.run(script: guest, name: "health", binaries: [kioskd], timeoutSeconds: 240,
                                              hostForwards: ["tcp::\(fleetPort)-:8443"]) })
        }.start()
        defer {
            try? "".write(toFile: "\(share)/done.go", atomically: true, encoding: .utf8)
            run.wait()
        }
        func health() throws -> [String: Double] {
            let curl = try TestProcess(try TestProcess.which("curl"), ["-sS", "--cacert", "\(share)/fleet.crt", "--max-time", "20",
                                                                       "-H", "Authorization: Bearer \(token)", "https://127.0.0.1:\(fleetPort)/metrics"],
                                       in: dir, name: "curl")
            try #require(curl.wait(seconds: 30) == 0, "curl: \(curl.stderr)")
            let samples = try FleetAPITests.parsePrometheus(curl.stdout)
            return Dictionary(uniqueKeysWithValues: DeviceHealthNames.all.compactMap { device in
                samples[#"kioskd_device_up{device="\#(device)"}"#].map { (device, $0) }
            })
        }
        let failure = { "kioskd:\n\(board.file("kioskd.log"))\nguest:\n\(board.file("guest.log"))" }
        try #require(VirtualBoardCallTests.waitForFile("\(share)/up.ready", seconds: 120, while: { !run.isFinished }), "\(failure())")
        let up = try health()
        print("kioskd_device_up on the board: \(up.sorted { $0.key < $1.key })")
        #expect(up == ["camera": 1, "microphone": 1, "speaker": 1, "display": 1, "input": 1], "\(failure())")

        // The button's keyboard goes, and the camera's driver.
        try "".write(toFile: "\(share)/unplug.go", atomically: true, encoding: .utf8)
        try #require(VirtualBoardCallTests.waitForFile("\(share)/unplugged.ready", seconds: 60, while: { !run.isFinished }), "\(failure())")
        let unplugged = try health()
        print("after the button's keyboard went and vivid was unloaded: \(unplugged.sorted { $0.key < $1.key })")
        #expect(unplugged == ["camera": 0, "microphone": 1, "speaker": 1, "display": 1, "input": 0], "\(board.file("rmmod.log"))\n\(failure())")
    }
}

private enum DeviceHealthNames {
    static let all = ["camera", "microphone", "speaker", "display", "input"]
}
