import Control
import Foundation
import Testing

/// kioskctl against the real daemon: `kioskd run` with its control socket in a temporary folder, baresip
/// as the agent (the test-call destination and the SIP endpoint `test network` probes), the synthetic
/// camera and tone, the off-screen display, ALSA's file plugin as the speaker. Each command is run as the
/// real `kioskctl` binary and its text and `--json` output checked.
@Suite(.serialized)
struct KioskCtlTests {
    /// A running kioskd with baresip; stopped by the test.
    final class Kiosk {
        let setup: BaresipCallTests.Setup
        let socket: String
        let screenDir: String
        let speakerFile: String
        let daemon: TestProcess

        /// The file changes are written to (`--managed-config`), when the daemon was given one.
        let managedConfig: String?
        /// The configuration file the daemon was started with.
        let factoryConfig: String

        /// `keys`: the kiosk's buttons come from the daemon's standard input (a line per press).
        /// `readOnlyFactory`: as under the systemd unit (ProtectSystem=strict), the configuration's
        /// folder is mounted read-only (a private mount namespace) and changes go to a managed file.
        init(_ name: String, group: String? = nil, keys: Bool = false, readOnlyFactory: Bool = false) throws {
            let screenDir = try TestEnvironment.temporaryDirectory("\(name)-screen")
            let speakerFile = "\(screenDir)/speaker.raw"
            setup = try BaresipCallTests.setUp(name, extraConfig: """
                , "display": { "device": "offscreen:\(screenDir)", "size": "640x400", "languages": ["en"] },
                  "speaker": { "device": "file:'\(speakerFile)',raw" }
                """)
            self.screenDir = screenDir
            self.speakerFile = speakerFile
            socket = "\(setup.dir)/control.sock"
            // The control section, with the agent as the test destination.
            var text = try String(contentsOfFile: setup.config, encoding: .utf8)
            let groupLine = group.map { #", "group": "\#($0)""# } ?? ""
            text = text.replacingOccurrences(of: #""log": { "level": "info" },"#, with: """
                "log": { "level": "info" },
                  "control": { "socketPath": "\(socket)", "testDestination": "\(setup.agent.uri)"\(groupLine) },
                """)
            try text.write(toFile: setup.config, atomically: true, encoding: .utf8)
            let options = keys ? ["--keys-from-stdin"] : []
            if readOnlyFactory {
                let etc = "\(setup.dir)/etc", state = "\(setup.dir)/state"
                try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                factoryConfig = "\(etc)/kioskd.json"
                managedConfig = "\(state)/kioskd.json"
                try FileManager.default.moveItem(atPath: setup.config, toPath: factoryConfig)
                // unshare and sh exec: the PID the test stops is kioskd's.
                let command = "mount --bind -o ro '\(etc)' '\(etc)' && exec '\(try TestEnvironment.kioskd())' run --config '\(factoryConfig)' --managed-config '\(managedConfig!)' \(options.joined(separator: " "))"
                daemon = try TestProcess("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", command],
                                         in: setup.dir, name: "kioskd", keepStdinOpen: keys)
            } else {
                factoryConfig = setup.config
                managedConfig = nil
                daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config] + options,
                                         in: setup.dir, name: "kioskd", keepStdinOpen: keys)
            }
            guard KioskFlowRunTests.waitFor(daemon, "control: listening on", seconds: 20),
                  KioskFlowRunTests.waitFor(daemon, "screen: idle", seconds: 20) else {
                stop()
                throw TestSetupError("kioskd did not start: \(daemon.stderr)")
            }
        }

        func stop() {
            daemon.stop()
            setup.agent.stop()
            try? FileManager.default.removeItem(atPath: setup.dir)
            try? FileManager.default.removeItem(atPath: screenDir)
        }
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]) ?? [:]
        }
    }

    /// A UDP socket that takes SIP requests and never answers (a destination that does not pick up).
    final class UDPSilentPeer {
        let fd: Int32
        let port: Int
        init() throws {
            let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, len) == 0 && getsockname(socketFD, $0, &len) == 0 }
            }
            guard bound else { close(socketFD); throw TestSetupError("cannot bind a UDP socket") }
            fd = socketFD
            port = Int(UInt16(bigEndian: addr.sin_port))
        }
        deinit { close(fd) }
    }

    static func kioskctl() throws -> String {
        let path = ProcessInfo.processInfo.environment["KIOSKCTL_BIN"] ?? "\(TestEnvironment.packageRoot)/.build/debug/kioskctl"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("no kioskctl binary at \(path): run `swift build` first (make test does)")
        }
        return path
    }

    /// Runs kioskctl (as `user` through setpriv when given) and waits for it.
    static func run(_ arguments: [String], socket: String?, user: (name: String, group: String, groups: [Int])? = nil,
                    in dir: String, seconds: Double = 60) throws -> Run {
        var executable = try kioskctl()
        var argv = arguments + (socket.map { ["--socket", $0] } ?? [])
        if let user {
            argv = ["--reuid=\(user.name)", "--regid=\(user.group)"]
                + (user.groups.isEmpty ? ["--clear-groups"] : ["--groups=\(user.groups.map(String.init).joined(separator: ","))"])
                + [executable] + argv
            executable = "/usr/bin/setpriv"
        }
        let name = "kioskctl-\(UInt32.random(in: 0...UInt32.max))"
        let process = try TestProcess(executable, argv, in: dir, name: name)
        let status = process.wait(seconds: seconds)
        if status == nil { process.stop() }
        return Run(status: status ?? -1, stdout: process.stdout, stderr: process.stderr)
    }

    func ctl(_ kiosk: Kiosk, _ arguments: String..., seconds: Double = 60) throws -> Run {
        try Self.run(arguments, socket: kiosk.socket, in: kiosk.setup.dir, seconds: seconds)
    }

    // MARK: -

    @Test func statusVersionDevicesAndLogs() throws {
        let kiosk = try Kiosk("ctl-status")
        defer { kiosk.stop() }

        // The socket is the configured one, mode 0660.
        var info = stat()
        #expect(stat(kiosk.socket, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660)

        let status = try ctl(kiosk, "status")
        print("kioskctl status:\n\(status.stdout)")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("kiosk:") && status.stdout.contains("KSK-0412"))
        #expect(status.stdout.contains("state:") && status.stdout.contains("idle"))
        #expect(status.stdout.contains("version:") && status.stdout.contains("0.1.0"))
        #expect(status.stdout.contains("registration:") && status.stdout.contains("no registrar configured"))
        #expect(status.stdout.contains("camera:") && status.stdout.contains("synthetic 640x480@25"))

        let json = try ctl(kiosk, "status", "--json")
        #expect(json.status == 0)
        #expect(json.json["kiosk"] as? String == "KSK-0412")
        #expect(json.json["state"] as? String == "idle")
        #expect(json.json["call"] as? String == "idle")
        #expect((json.json["uptimeSeconds"] as? Int).map { $0 >= 0 && $0 < 120 } == true)
        #expect((json.json["devices"] as? [String: Any])?["speaker"] as? String == "file:'\(kiosk.speakerFile)',raw")
        #expect(json.json["lastErrors"] as? [Any] != nil)

        let version = try ctl(kiosk, "version", "--json")
        #expect(version.json["kioskd"] as? String == "0.1.0" && version.json["protocol"] as? Int == 1)
        #expect(try ctl(kiosk, "version").stdout.contains("kioskd:   0.1.0"))

        // No camera or sound card on this machine: the lists are there, empty or not.
        let devices = try ctl(kiosk, "devices", "--json")
        #expect(devices.status == 0, "\(devices.stderr)")
        for key in ["cameras", "soundCards", "framebuffers", "inputDevices"] { #expect(devices.json[key] as? [Any] != nil, "\(key)") }
        let devicesText = try ctl(kiosk, "devices")
        print("kioskctl devices:\n\(devicesText.stdout)")
        #expect(devicesText.status == 0 && devicesText.stdout.contains("cameras:"))

        // The daemon's own log lines, as its standard error has them.
        let logs = try ctl(kiosk, "logs", "-n", "200")
        #expect(logs.status == 0)
        #expect(logs.stdout.contains("control: listening on \(kiosk.socket)"))
        #expect(logs.stdout.contains("kioskd 0.1.0 starting: kiosk KSK-0412"))
        let logsJSON = try ctl(kiosk, "logs", "-n", "3", "--json")
        #expect((logsJSON.json["lines"] as? [String])?.count == 3)

        // Following: lines that come after the command started arrive (here: a refused call's log line).
        let followName = "follow"
        let follower = try TestProcess(try Self.kioskctl(), ["logs", "--follow", "-n", "0", "--socket", kiosk.socket],
                                       in: kiosk.setup.dir, name: followName)
        defer { follower.stop() }
        Thread.sleep(forTimeInterval: 1)
        let refused = try ctl(kiosk, "config", "set", "camera.fps", "999")
        #expect(refused.status == 1)
        let until = Date().addingTimeInterval(5)
        while !follower.stdout.contains("config.set refused") && Date() < until { Thread.sleep(forTimeInterval: 0.1) }
        #expect(follower.stdout.contains("control: config.set refused"), "\(follower.stdout)")
        #expect(follower.isRunning)  // still following
        // When kioskd stops, following ends: the end of the stream, not an error.
        kiosk.daemon.signal(SIGTERM)
        #expect(kiosk.daemon.wait(seconds: 15) == 0)
        #expect(follower.wait(seconds: 10) == 0, "\(follower.stderr)")
        #expect(follower.stderr.contains("kioskd stopped; no more lines"))
        #expect(access(kiosk.socket, F_OK) != 0)  // the socket file went with it
    }

    @Test func configShowValidateAndSet() throws {
        let kiosk = try Kiosk("ctl-config")
        defer { kiosk.stop() }

        let show = try ctl(kiosk, "config", "show", "--json")
        #expect(show.status == 0)
        #expect(show.json["path"] as? String == kiosk.setup.config)
        #expect(((show.json["config"] as? [String: Any])?["kiosk"] as? [String: Any])?["id"] as? String == "KSK-0412")
        let showText = try ctl(kiosk, "config", "show")
        #expect(showText.stdout.hasPrefix("# \(kiosk.setup.config)\n{"))

        // validate: a good file and a bad one (the key is named).
        let good = "\(kiosk.setup.dir)/good.json", bad = "\(kiosk.setup.dir)/bad.json"
        try #"{ "kiosk": { "id": "K-2" }, "camera": { "fps": 15 } }"#.write(toFile: good, atomically: true, encoding: .utf8)
        try #"{ "kiosk": { "id": "K-2" }, "camera": { "fps": 500 } }"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let valid = try ctl(kiosk, "config", "validate", good)
        #expect(valid.status == 0 && valid.stdout.contains("is valid (kiosk K-2)"), "\(valid.stderr)")
        let invalid = try ctl(kiosk, "config", "validate", bad)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("camera.fps: 500 is out of range 1...120"), "\(invalid.stderr)")
        let invalidJSON = try ctl(kiosk, "config", "validate", bad, "--json")
        #expect((invalidJSON.json["error"] as? [String: Any])?["code"] as? String == "failed")
        let missing = try ctl(kiosk, "config", "validate", "\(kiosk.setup.dir)/nope.json")
        #expect(missing.status == 66 && missing.stderr.contains("No such file"))

        // set: a wrong value changes nothing and names the key; a right one is written (atomically: no
        // temporary file left) and read back.
        let before = try String(contentsOfFile: kiosk.setup.config, encoding: .utf8)
        let wrong = try ctl(kiosk, "config", "set", "camera.fps", "999")
        #expect(wrong.status == 1 && wrong.stderr.contains("camera.fps: 999 is out of range 1...120"), "\(wrong.stderr)")
        let misspelt = try ctl(kiosk, "config", "set", "camera.fsp", "10")
        #expect(misspelt.status == 1 && misspelt.stderr.contains("camera.fsp: unknown setting"), "\(misspelt.stderr)")
        #expect(try String(contentsOfFile: kiosk.setup.config, encoding: .utf8) == before)

        let set = try ctl(kiosk, "config", "set", "camera.fps", "15")
        #expect(set.status == 0, "\(set.stderr)")
        // The camera is opened per call: taken at once (no call is in progress), nothing waits for a restart.
        #expect(set.stdout.contains("applies:") && set.stdout.contains("now"), "\(set.stdout)")
        let setPort = try ctl(kiosk, "config", "set", "sip.port", "5999", "--json")
        #expect(setPort.json["needsRestart"] as? [String] == ["sip"], "\(setPort.stdout)")
        #expect((setPort.json["applies"] as? String)?.contains("at the next start of kioskd") == true)
        let setName = try ctl(kiosk, "config", "set", "kiosk.name", "Rathaus Süd", "--json")
        #expect(setName.json["value"] as? String == "Rathaus Süd")
        let after = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kiosk.setup.config))) as? [String: Any]
        #expect((after?["camera"] as? [String: Any])?["fps"] as? Int == 15)
        #expect((after?["sip"] as? [String: Any])?["port"] as? Int == 5999)
        #expect((after?["kiosk"] as? [String: Any])?["name"] as? String == "Rathaus Süd")
        #expect((after?["sip"] as? [String: Any])?["user"] as? String == "kiosk")  // the rest is kept
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: kiosk.setup.dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // The daemon runs on the live part (the status shows the new name) and keeps its SIP socket; the
        // new file is valid for its next start.
        let status = try ctl(kiosk, "status", "--json")
        #expect(status.json["name"] as? String == "Rathaus Süd", "\(status.stdout)")
        #expect(kiosk.daemon.stderr.contains("config: at the next start of kioskd: sip"))
        #expect(try ctl(kiosk, "config", "validate", kiosk.setup.config).status == 0)
        #expect(kiosk.daemon.isRunning)
    }

    /// A change made during a customer's call is not taken in the middle of it: the call goes on, and
    /// the next call carries the new value; the log level changes at once.
    @Test func aConfigurationChangeWaitsForTheCallToEnd() throws {
        let kiosk = try Kiosk("ctl-live", keys: true)
        defer { kiosk.stop() }
        // Idle: taken at once (the ended screen shortened for the test, the log more talkative).
        let short = try ctl(kiosk, "config", "set", "display.endedScreenSeconds", "1", "--json")
        #expect(short.json["applies"] as? String == "now", "\(short.stdout)\(short.stderr)")

        kiosk.daemon.writeStdin("\n")  // the customer presses the call button
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil,
                     "\(kiosk.daemon.stderr)")
        try #require(KioskFlowRunTests.waitFor(kiosk.daemon, "screen: in call", seconds: 5))
        let change = try ctl(kiosk, "config", "set", "kiosk.id", "KSK-0413", "--json")
        print("config set during the call: \(change.stdout)\(change.stderr)")
        #expect(change.status == 0)
        #expect(change.json["appliedLive"] as? [String] == ["kiosk"])
        #expect((change.json["applies"] as? String)?.hasPrefix("when the current call has ended") == true)
        // The call goes on, untouched.
        events += kiosk.setup.control.read(for: 2)
        #expect(!events.contains { ($0["type"] as? String) == "CALL_CLOSED" })
        let taken = { kiosk.daemon.stderr.components(separatedBy: "call: configuration changed").count - 1 }
        #expect(taken() == 1)  // the idle change only
        kiosk.daemon.writeStdin("\n")  // the customer hangs up
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)
        // The engine takes it when the call has ended, the flow once the ended screen is over (idle).
        let idleTaken = { kiosk.daemon.stderr.components(separatedBy: "kiosk: configuration changed").count - 1 }
        let until = Date().addingTimeInterval(10)
        while idleTaken() < 2, Date() < until { Thread.sleep(forTimeInterval: 0.1) }
        #expect(taken() == 2 && idleTaken() == 2, "\(kiosk.daemon.stderr.suffix(2000))")

        // The next call carries the new id; the first carried the old one.
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil,
                "\(kiosk.daemon.stderr.suffix(3000))")
        let log = kiosk.setup.agent.log
        let first = log.range(of: "X-Kiosk-Id: KSK-0412"), second = log.range(of: "X-Kiosk-Id: KSK-0413")
        #expect(first != nil && second != nil, "\(log.suffix(4000))")
        if let first, let second { #expect(first.lowerBound < second.lowerBound) }
        Thread.sleep(forTimeInterval: 1.5)  // a second press within 1 s of the call is not a hang-up
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)

        // The log level is taken at once: at warning, a whole call leaves none of its info lines.
        #expect(try ctl(kiosk, "config", "set", "log.level", "warning").status == 0)
        Thread.sleep(forTimeInterval: 1.5)  // the ended screen (1 s) is over
        let screensBefore = kiosk.daemon.stderr.components(separatedBy: "screen: ").count
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil)
        Thread.sleep(forTimeInterval: 1.5)
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(kiosk.daemon.stderr.components(separatedBy: "screen: ").count == screensBefore, "\(kiosk.daemon.stderr.suffix(1500))")
    }

    /// Under the shipped unit /etc/kioskd is read-only to the daemon: `config set` writes the managed file
    /// in its state folder, the factory file stays byte for byte, and after a restart the daemon reads the
    /// managed file (the change survives).
    @Test func configSetWithAReadOnlyFactoryFileWritesTheManagedOne() throws {
        let kiosk = try Kiosk("ctl-managed", readOnlyFactory: true)
        defer { kiosk.stop() }
        let factory = try String(contentsOfFile: kiosk.factoryConfig, encoding: .utf8)
        let managed = try #require(kiosk.managedConfig)
        // The folder really is read-only to the daemon (what ProtectSystem=strict does to /etc).
        #expect(!FileManager.default.fileExists(atPath: managed))
        let set = try ctl(kiosk, "config", "set", "kiosk.name", "Bürgerbüro West", "--json")
        print("config set with a read-only /etc: \(set.stdout)\(set.stderr)")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.json["path"] as? String == managed)
        #expect(try String(contentsOfFile: kiosk.factoryConfig, encoding: .utf8) == factory)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: managed))) as? [String: Any]
        #expect((written?["kiosk"] as? [String: Any])?["name"] as? String == "Bürgerbüro West")
        #expect((written?["sip"] as? [String: Any])?["user"] as? String == "kiosk")
        // config show now reads the managed file.
        let show = try ctl(kiosk, "config", "show", "--json")
        #expect(show.json["path"] as? String == managed)
        // A restart reads it: the name is there from the start.
        kiosk.daemon.stop()
        let again = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", kiosk.factoryConfig, "--managed-config", managed],
                                    in: kiosk.setup.dir, name: "kioskd-again")
        defer { again.stop() }
        #expect(KioskFlowRunTests.waitFor(again, "starting: kiosk KSK-0412 (Bürgerbüro West), config \(managed)", seconds: 20), "\(again.stderr)")
        // A damaged managed file does not keep the kiosk down: the factory file is read, the log says why.
        again.stop()
        try "{ \"kiosk\": ".write(toFile: managed, atomically: true, encoding: .utf8)
        let third = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", kiosk.factoryConfig, "--managed-config", managed],
                                    in: kiosk.setup.dir, name: "kioskd-third")
        defer { third.stop() }
        #expect(KioskFlowRunTests.waitFor(third, "running on the factory configuration \(kiosk.factoryConfig) instead", seconds: 20), "\(third.stderr)")
        #expect(KioskFlowRunTests.waitFor(third, "config \(kiosk.factoryConfig)", seconds: 5))
    }

    @Test func aTestCallReachesTheAgentAndHangsUp() throws {
        let kiosk = try Kiosk("ctl-call")
        defer { kiosk.stop() }
        var events: [[String: Any]] = []
        let call = try ctl(kiosk, "call", "--wait", "10")
        print("kioskctl call:\n\(call.stdout)\(call.stderr)")
        #expect(call.status == 0, "\(call.stderr)\n\(kiosk.daemon.stderr.suffix(3000))")
        #expect(call.stdout.contains("target:") && call.stdout.contains(kiosk.setup.agent.uri))
        #expect(call.stdout.contains("phase:") && call.stdout.contains("in call"))
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 5, seen: &events) != nil)

        let status = try ctl(kiosk, "status", "--json")
        #expect(status.json["call"] as? String == "in call")
        // A second call and the device tests wait for the one in progress.
        let second = try ctl(kiosk, "call", "--json")
        #expect(second.status == 1 && (second.json["error"] as? [String: Any])?["code"] as? String == "busy")
        let camera = try ctl(kiosk, "test", "camera")
        #expect(camera.status == 1 && camera.stderr.contains("not testing the camera now: a call is in progress"), "\(camera.stderr)")

        let hangup = try ctl(kiosk, "hangup", "--json")
        #expect(hangup.status == 0, "\(hangup.stderr)")
        #expect(hangup.json["was"] as? String == "in call")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 5, seen: &events) != nil)
        let again = try ctl(kiosk, "hangup")
        #expect(again.status == 1 && again.stderr.contains("no call to hang up"))
        // The INVITE went to the test destination with the kiosk's context, category "test".
        #expect(kiosk.setup.agent.log.contains("X-Kiosk-Id: KSK-0412"))

        // A destination that never answers: the test call is given up after --wait and says so.
        let silent = try UDPSilentPeer()
        let unanswered = try ctl(kiosk, "call", "--to", "sip:nobody@127.0.0.1:\(silent.port)", "--wait", "2")
        print("kioskctl call to a silent peer: exit \(unanswered.status): \(unanswered.stderr)")
        #expect(unanswered.status == 1)
        #expect(unanswered.stderr.contains("the test call to sip:nobody@127.0.0.1:\(silent.port) was not answered within 2 s"))
        // Without a provisional answer there is nothing to CANCEL yet (RFC 3261 §9.1): the engine ends the
        // attempt when the INVITE transaction gives up; the call is not up meanwhile.
        let after = try ctl(kiosk, "status", "--json")
        print("status after the unanswered test call: \(after.json["call"] ?? "-")")
        #expect(after.json["call"] as? String != "in call")
    }

    /// A customer's call is theirs: the device tests, a test call and `hangup` are refused politely, and
    /// the call goes on until the customer ends it.
    @Test func aCustomersCallIsLeftAlone() throws {
        let kiosk = try Kiosk("ctl-customer", keys: true)
        defer { kiosk.stop() }
        kiosk.daemon.writeStdin("\n")  // the customer presses the call button
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil,
                     "\(kiosk.daemon.stderr)")
        try #require(KioskFlowRunTests.waitFor(kiosk.daemon, "screen: in call", seconds: 5))
        let status = try ctl(kiosk, "status", "--json")
        #expect(status.json["state"] as? String == "in call" && status.json["call"] as? String == "in call", "\(status.stdout)")

        for test in ["camera", "mic", "speaker", "display"] {
            let refused = try ctl(kiosk, "test", test)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("not testing the \(test == "mic" ? "microphone" : test) now: a customer is using the kiosk (in call); try again when it is over"),
                    "\(refused.stderr)")
        }
        let json = try ctl(kiosk, "test", "camera", "--json")
        #expect((json.json["error"] as? [String: Any])?["code"] as? String == "busy")
        let call = try ctl(kiosk, "call")
        #expect(call.status == 1 && call.stderr.contains("a customer is using the kiosk"), "\(call.stderr)")
        let hangup = try ctl(kiosk, "hangup")
        #expect(hangup.status == 1 && hangup.stderr.contains("the call in progress is a customer's (in call)"), "\(hangup.stderr)")

        // Nothing of that touched the call: it is still up until the customer presses again.
        events += kiosk.setup.control.read(for: 1)
        #expect(!events.contains { ($0["type"] as? String) == "CALL_CLOSED" })
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)
    }

    @Test func deviceAndNetworkTests() throws {
        let kiosk = try Kiosk("ctl-devices")
        defer { kiosk.stop() }

        // Camera: the synthetic camera at its configured 25 fps, and a PNG of its picture.
        let snapshot = "\(kiosk.setup.dir)/snap.png"
        let camera = try ctl(kiosk, "test", "camera", "--snapshot", snapshot, "--json")
        print("kioskctl test camera: \(camera.stdout)")
        #expect(camera.status == 0, "\(camera.stderr)")
        let fps = camera.json["fps"] as? Double ?? 0
        #expect(fps > 20 && fps < 30, "\(fps) fps")
        #expect(camera.json["size"] as? String == "640x480")
        let png = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 1000)
        let cameraText = try ctl(kiosk, "test", "camera", "--seconds", "1", "--snapshot", snapshot)
        #expect(cameraText.stdout.contains("camera:") && cameraText.stdout.contains("synthetic") && cameraText.stdout.contains("fps:"))

        // Microphone: the 440 Hz tone at amplitude 0.3 has an RMS of 0.212, −13.5 dBFS.
        let mic = try ctl(kiosk, "test", "mic", "--seconds", "1")
        print("kioskctl test mic:\n\(mic.stdout)")
        #expect(mic.status == 0, "\(mic.stderr)")
        let meterLines = mic.stdout.split(separator: "\n").filter { $0.contains("dBFS rms") }
        #expect(meterLines.count == 4)
        #expect(meterLines.allSatisfy { $0.contains("-13.5 dBFS rms") }, "\(meterLines)")
        let micJSON = try ctl(kiosk, "test", "mic", "--seconds", "0.5", "--json")
        let levels = micJSON.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"rmsDBFS\"") }
        #expect(levels.count == 2, "\(micJSON.stdout)")

        // Speaker: the tone lands in ALSA's file plugin (48 kHz mono 16-bit: 1 s is 96000 bytes).
        let speaker = try ctl(kiosk, "test", "speaker", "--seconds", "1", "--json")
        #expect(speaker.status == 0, "\(speaker.stderr)")
        #expect((speaker.json["framesPlayed"] as? Int ?? 0) >= 48_000)
        let played = (try? FileManager.default.attributesOfItem(atPath: kiosk.speakerFile)[.size] as? Int) ?? 0
        #expect(played >= 96_000, "\(played) bytes played")

        // Display: colour bars on the screen (a PNG of them in the off-screen folder), then idle again.
        let framesBefore = try FileManager.default.contentsOfDirectory(atPath: kiosk.screenDir).filter { $0.hasSuffix(".png") }.count
        let display = try ctl(kiosk, "test", "display", "--seconds", "1")
        print("kioskctl test display:\n\(display.stdout)")
        #expect(display.status == 0, "\(display.stderr)")
        #expect(display.stdout.contains("pattern:") && display.stdout.contains("colour bars"))
        #expect(display.stdout.contains("screen:") && display.stdout.contains("idle"))
        let frames = try FileManager.default.contentsOfDirectory(atPath: kiosk.screenDir).filter { $0.hasSuffix(".png") }.sorted()
        #expect(frames.count >= framesBefore + 2)  // the bars, and the idle screen back
        #expect(kiosk.daemon.stderr.contains("screen: test pattern ended"))

        // Network: the agent's name resolves and it answers OPTIONS.
        let network = try ctl(kiosk, "test", "network", "--json")
        print("kioskctl test network: \(network.stdout)")
        #expect(network.status == 0, "\(network.stderr)")
        #expect(network.json["ok"] as? Bool == true)
        let sip = (network.json["sip"] as? [[String: Any]]) ?? []
        #expect(sip.count == 1 && sip.first?["endpoint"] as? String == kiosk.setup.agent.uri)
        #expect((sip.first?["rttMs"] as? Double).map { $0 > 0 && $0 < 1000 } == true)
        #expect((sip.first?["status"] as? String)?.hasPrefix("200") == true)
        let networkText = try ctl(kiosk, "test", "network")
        #expect(networkText.stdout.contains("rtt ms:") && networkText.stdout.contains("127.0.0.1"))
    }

    /// `test network` over TLS: Kamailio with a certificate from the configured CA answers (RTT, the
    /// certificate accepted); a server whose certificate is from another CA is named with the reason.
    @Test func testNetworkChecksTLSCertificates() throws {
        let badPort = try TestEnvironment.freeTCPPort()
        let setup = try KamailioCallTests.setUp("ctl-tls", endpoints: ["sip:localhost:\(badPort);transport=tls"], transport: "tls")
        defer { setup.agent.stop(); setup.kamailio.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let stranger = try TestProcess("openssl", ["s_server", "-quiet", "-accept", "127.0.0.1:\(badPort)", "-cert", "other-ca.pem",
                                                   "-key", "other.key"], in: setup.dir, name: "s_server", keepStdinOpen: true)
        defer { stranger.stop() }
        try #require(TestEnvironment.waitForTCPListener(port: badPort, seconds: 10), "s_server: \(stranger.stderr)")
        let socket = "\(setup.dir)/control.sock"
        var text = try String(contentsOfFile: setup.config, encoding: .utf8)
        text = text.replacingOccurrences(of: #""context": { "site": "Bern Bahnhof" }"#,
                                         with: #""context": { "site": "Bern Bahnhof" }, "control": { "socketPath": "\#(socket)" }"#)
        try text.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config], in: setup.dir, name: "kioskd")
        defer { daemon.stop() }
        try #require(KioskFlowRunTests.waitFor(daemon, "control: listening on", seconds: 20), "\(daemon.stderr)")

        let network = try Self.run(["test", "network", "--json", "--timeout", "2"], socket: socket, in: setup.dir)
        print("kioskctl test network over TLS: \(network.stdout)")
        #expect(network.status == 1)  // one endpoint fails: the test says no
        #expect(network.json["ok"] as? Bool == false)
        let sip = (network.json["sip"] as? [[String: Any]]) ?? []
        let bad = sip.first { ($0["endpoint"] as? String)?.contains(":\(badPort)") == true }
        let good = sip.first { ($0["endpoint"] as? String)?.contains(":\(setup.kamailio.tlsPort!)") == true }
        #expect(bad?["ok"] as? Bool == false && bad?["transport"] as? String == "tls")
        #expect((bad?["tls"] as? String)?.lowercased().contains("certificate") == true, "\(String(describing: bad))")
        #expect(good?["ok"] as? Bool == true && good?["tls"] as? String == "certificate accepted", "\(String(describing: good))")
        #expect((good?["rttMs"] as? Double).map { $0 > 0 && $0 < 2000 } == true)
        let dns = (network.json["dns"] as? [[String: Any]]) ?? []
        #expect(dns.contains { $0["host"] as? String == "localhost" && $0["ok"] as? Bool == true })
        let human = try Self.run(["test", "network", "--timeout", "2"], socket: socket, in: setup.dir)
        print("kioskctl test network (text):\n\(human.stdout)")
        #expect(human.status == 1 && human.stdout.contains("certificate accepted"))
    }

    @Test func badInputOnTheSocketGetsErrorsAndTheDaemonGoesOn() throws {
        let kiosk = try Kiosk("ctl-bad")
        defer { kiosk.stop() }
        let client = try ControlClient(path: kiosk.socket)
        for line in ["not json", "{\"v\":1}", "[1,2]", "{\"v\":9,\"id\":4,\"command\":\"status\"}",
                     "{\"v\":1,\"id\":5,\"command\":\"reboot\"}", "{\"v\":1,\"id\":6,\"command\":\"logs\",\"args\":{\"lines\":\"many\"}}",
                     String(repeating: "x", count: ControlProtocol.maximumLineBytes + 10)] {
            try client.sendRaw(line + "\n")
            let reply = try client.readResponse(timeout: 10)
            guard case let .failure(failure) = reply.outcome else {
                Issue.record("\(line.prefix(40)) was answered \(reply)")
                continue
            }
            print("\(line.prefix(40)) → \(failure.code.rawValue): \(failure.message)")
        }
        // The same connection still works, and a new one too.
        let status = try client.send(.status)
        guard case let .result(value) = status.outcome else { Issue.record("\(status)"); return }
        #expect(value["kiosk"]?.string == "KSK-0412")
        // A client that goes away mid-request does not take the daemon with it.
        try ControlClient(path: kiosk.socket).sendRaw("{\"v\":1,\"id\":1,\"command\":\"test.mic\",\"args\":{\"seconds\":1}}\n")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try ctl(kiosk, "status").status == 0)
        #expect(kiosk.daemon.isRunning)
    }

    @Test func aTechnicianWithoutPermissionIsToldWhyAndOneInTheGroupGetsIn() throws {
        // The socket's group is `users` (gid 100); nobody is not in it.
        let kiosk = try Kiosk("ctl-perm", group: "users")
        defer { kiosk.stop() }
        var info = stat()
        #expect(stat(kiosk.socket, &info) == 0 && info.st_gid == 100 && info.st_mode & 0o777 == 0o660)
        // nobody must reach the socket's folder to be refused by the socket itself.
        chmod(kiosk.setup.dir, 0o755)

        let denied = try Self.run(["status"], socket: kiosk.socket, user: ("nobody", "nogroup", []), in: kiosk.setup.dir)
        print("kioskctl as nobody: exit \(denied.status): \(denied.stderr)")
        #expect(denied.status == 77)
        #expect(denied.stderr.contains("permission denied on \(kiosk.socket): ask for the kioskd group"))
        let deniedJSON = try Self.run(["status", "--json"], socket: kiosk.socket, user: ("nobody", "nogroup", []), in: kiosk.setup.dir)
        #expect(deniedJSON.status == 77 && deniedJSON.stdout.contains("\"permission-denied\""))

        let member = try Self.run(["status"], socket: kiosk.socket, user: ("nobody", "nogroup", [100]), in: kiosk.setup.dir)
        #expect(member.status == 0, "\(member.stderr)")
        #expect(member.stdout.contains("KSK-0412"))
    }

    @Test func noDaemonMeansExit69AndAWrongCommandLine64() throws {
        let dir = try TestEnvironment.temporaryDirectory("ctl-none")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try Self.run(["status"], socket: "\(dir)/control.sock", in: dir)
        #expect(none.status == 69)
        #expect(none.stderr.contains("kioskd is not running or not listening on \(dir)/control.sock"))
        let usage = try Self.run(["test", "camera", "--seconds", "0"], socket: "\(dir)/control.sock", in: dir)
        #expect(usage.status == 64 && usage.stderr.contains("--seconds must be 0.5...30"))
        let completion = try Self.run(["--generate-completion-script", "bash"], socket: nil, in: dir)
        #expect(completion.status == 0 && completion.stdout.contains("kioskctl"))
    }
}
