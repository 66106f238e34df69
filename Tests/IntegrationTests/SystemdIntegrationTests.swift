import Foundation
import Testing

/// The appliance side: the real `kioskd run` speaking systemd's notify protocol to a socket the test
/// binds (as systemd would), and the unit, sysusers, udev and ALSA files checked by the real tools.
@Suite(.serialized)
struct SystemdIntegrationTests {
    // MARK: - Helpers

    /// systemd's end of the notify protocol: an AF_UNIX datagram socket at a path.
    final class NotifySocket {
        let fd: Int32
        let path: String

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var sa = sockaddr_un()
            sa.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &sa.sun_path) { p in for (i, b) in bytes.enumerated() { p[i] = b } }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
            let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard fd >= 0, rc == 0 else { throw TestSetupError("notify socket \(path): \(String(cString: strerror(errno)))") }
        }

        deinit {
            close(fd)
            unlink(path)
        }

        /// A datagram and when it arrived.
        struct Message {
            let text: String
            let at: Date
            var lines: [Substring] { text.split(separator: "\n") }
        }

        /// Datagrams until `until` says stop (given all so far) or `seconds` pass.
        func receive(seconds: Double, until done: ([Message]) -> Bool = { _ in false }) -> [Message] {
            var messages: [Message] = []
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(messages) {
                let left = end.timeIntervalSinceNow
                guard left > 0 else { break }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, Int32(left * 1000) + 1) == 1 else { continue }
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { messages.append(Message(text: String(decoding: buffer[0..<n], as: UTF8.self), at: Date())) }
            }
            return messages
        }
    }

    static func config(sipPort: Int?) -> String {
        let sip = sipPort.map { #", "sip": { "bindAddress": "127.0.0.1", "port": \#($0), "user": "kiosk", "domain": "127.0.0.1" }"# } ?? ""
        return """
        { "kiosk": { "id": "KSK-SYSTEMD", "name": "systemd test" }\(sip) }
        """
    }

    /// kioskd as systemd starts it: NOTIFY_SOCKET, WATCHDOG_USEC, and WATCHDOG_PID naming the daemon
    /// itself (the shell's `$$`, which `exec` hands on to kioskd) unless `watchdogPID` says otherwise.
    static func startDaemon(_ dir: String, notifySocket: String, sipPort: Int?, watchdogPID: String = "$$") throws -> TestProcess {
        let config = "\(dir)/kioskd.json"
        try Self.config(sipPort: sipPort).write(toFile: config, atomically: true, encoding: .utf8)
        let script = "export NOTIFY_SOCKET='\(notifySocket)' WATCHDOG_USEC=2000000 WATCHDOG_PID=\(watchdogPID); exec \"$0\" \"$@\""
        return try TestProcess("/bin/sh", ["-c", script, try TestEnvironment.kioskd(), "run", "--config", config], in: dir, name: "kioskd")
    }

    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestProcess.which(program))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var unitFile: String { "\(TestEnvironment.packageRoot)/systemd/kioskd.service" }

    // MARK: - The notify protocol, end to end

    @Test func readyOnceTheCallEngineIsUpThenKeepAlivesStatusAndStopping() throws {
        let dir = try TestEnvironment.temporaryDirectory("sdnotify")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        let sipPort = try TestEnvironment.freePort()
        let started = Date()
        let daemon = try Self.startDaemon(dir, notifySocket: notify.path, sipPort: sipPort)
        defer { daemon.stop() }

        let first = notify.receive(seconds: 10) { !$0.isEmpty }
        let ready = try #require(first.first, "no notification within 10 s: \(daemon.stderr)")
        #expect(ready.lines.first == "READY=1", "\(ready.text)")
        // READY=1 means the SIP socket is bound: a client may call at once.
        #expect(TestEnvironment.isListed(port: sipPort, tables: ["/proc/net/udp", "/proc/net/udp6"], listeningOnly: false),
                "READY=1 before the SIP port \(sipPort) was bound")
        print("READY=1 after \(ready.at.timeIntervalSince(started)) s")

        // WATCHDOG_USEC=2 s: a keep-alive every second, the status with the first one.
        let rounds = notify.receive(seconds: 3.6)
        let keepAlives = rounds.filter { $0.lines.contains("WATCHDOG=1") }
        #expect((3...5).contains(keepAlives.count), "\(rounds.map(\.text))")
        let gaps = zip(keepAlives.dropFirst(), keepAlives).map { $0.at.timeIntervalSince($1.at) }
        #expect(gaps.allSatisfy { (0.5...1.5).contains($0) }, "gaps between keep-alives: \(gaps)")
        #expect(rounds.first?.text == "STATUS=no registrar; idle\nWATCHDOG=1", "\(rounds.map(\.text))")
        #expect(daemon.stderr.contains("systemd: READY=1; watchdog 2.0 seconds, keep-alive every 1.0 seconds"), "\(daemon.stderr)")

        daemon.signal(SIGTERM)
        let stopping = notify.receive(seconds: 5) { $0.contains { $0.lines.contains("STOPPING=1") } }
        #expect(stopping.contains { $0.text == "STOPPING=1\nSTATUS=stopping" }, "\(stopping.map(\.text))")
        #expect(daemon.wait(seconds: 10) == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("kioskd stopped"), "\(daemon.stderr)")
    }

    @Test func aWatchdogMeantForAnotherProcessGetsNoKeepAlive() throws {
        let dir = try TestEnvironment.temporaryDirectory("sdnotify-pid")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        let daemon = try Self.startDaemon(dir, notifySocket: notify.path, sipPort: nil, watchdogPID: "1")
        defer { daemon.stop() }
        // Without a sip section READY=1 comes as soon as the services run.
        let messages = notify.receive(seconds: 4)
        #expect(messages.first?.text == "READY=1\nSTATUS=started", "\(messages.map(\.text)): \(daemon.stderr)")
        #expect(messages.contains { $0.text == "STATUS=running; no SIP configured" }, "\(messages.map(\.text))")
        #expect(!messages.contains { $0.lines.contains("WATCHDOG=1") }, "\(messages.map(\.text))")
        #expect(daemon.stderr.contains("systemd: READY=1; no watchdog armed"), "\(daemon.stderr)")
    }

    @Test func aCallEngineThatCannotStartIsNeverReady() throws {
        let dir = try TestEnvironment.temporaryDirectory("sdnotify-busy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        // The SIP port is taken (by this test), so the user agent cannot listen.
        let blocker = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(blocker) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(blocker, $0, len) == 0 && getsockname(blocker, $0, &len) == 0 }
        }
        try #require(bound)
        let daemon = try Self.startDaemon(dir, notifySocket: notify.path, sipPort: Int(UInt16(bigEndian: addr.sin_port)))
        defer { daemon.stop() }
        let status = daemon.wait(seconds: 10)
        #expect(status != nil && status != 0, "kioskd should fail: \(daemon.stderr)")
        let messages = notify.receive(seconds: 0.5)
        #expect(!messages.contains { $0.lines.contains("READY=1") || $0.lines.contains("WATCHDOG=1") }, "\(messages.map(\.text))")
    }

    /// MemoryDenyWriteExecute=yes in the unit: the kernel's own form of it (PR_SET_MDWE, Linux 6.3+,
    /// refusing writable-and-executable memory) must not stop kioskd from coming up.
    @Test func kioskdRunsWithoutWritableExecutableMemory() throws {
        let python = try TestProcess.which("python3")
        let dir = try TestEnvironment.temporaryDirectory("sdnotify-mdwe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let notify = try NotifySocket(path: "\(dir)/notify.sock")
        let config = "\(dir)/kioskd.json"
        try Self.config(sipPort: try TestEnvironment.freePort()).write(toFile: config, atomically: true, encoding: .utf8)
        // PR_SET_MDWE = 65, PR_MDWE_REFUSE_EXEC_GAIN = 1; kept across exec. prctl fails on older kernels.
        let wrapper = """
        import ctypes, os, sys
        if ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0) != 0: sys.exit("prctl(PR_SET_MDWE) failed")
        os.environ["NOTIFY_SOCKET"] = sys.argv[1]
        os.execv(sys.argv[2], sys.argv[2:])
        """
        let daemon = try TestProcess(python, ["-c", wrapper, notify.path, try TestEnvironment.kioskd(), "run", "--config", config],
                                     in: dir, name: "kioskd")
        defer { daemon.stop() }
        let messages = notify.receive(seconds: 10) { !$0.isEmpty }
        #expect(messages.first?.lines.first == "READY=1", "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait(seconds: 10) == 0, "\(daemon.stderr)")
    }

    // MARK: - The unit files, checked by systemd's own tools

    /// `systemd-analyze verify` wants ExecStart's binary and the targets the unit orders itself
    /// against: it runs on a root holding this systemd's units, the unit and a copy of kioskd.
    @Test func systemdAnalyzeVerifyAcceptsTheUnit() throws {
        let root = try TestEnvironment.temporaryDirectory("sdverify")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: "\(root)/usr/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: "\(root)/etc/systemd/system", withIntermediateDirectories: true)
        try fm.copyItem(atPath: "/usr/lib/systemd/system", toPath: "\(root)/usr/lib/systemd/system")
        try fm.copyItem(atPath: try TestEnvironment.kioskd(), toPath: "\(root)/usr/bin/kioskd")
        try fm.copyItem(atPath: Self.unitFile, toPath: "\(root)/etc/systemd/system/kioskd.service")

        let verify = try Self.run("systemd-analyze", ["verify", "--root=\(root)", "kioskd.service"])
        // An unknown key or value is only a warning (status 0): any output counts as a failure.
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")

        // The check itself can fail: a misspelt key is reported.
        let broken = try String(contentsOfFile: Self.unitFile, encoding: .utf8).replacingOccurrences(of: "NotifyAccess=", with: "NotifyAcess=")
        try broken.write(toFile: "\(root)/etc/systemd/system/kioskd.service", atomically: true, encoding: .utf8)
        let misspelt = try Self.run("systemd-analyze", ["verify", "--root=\(root)", "kioskd.service"])
        #expect(misspelt.output.contains("Unknown key 'NotifyAcess'"), "\(misspelt.output)")
    }

    @Test func securityExposureIsAtMostTwo() throws {
        let result = try Self.run("systemd-analyze", ["security", "--offline=true", "--no-pager", Self.unitFile])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level for kioskd.service:") },
                                "\(result.output)")
        let figure = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        print("systemd-analyze security: \(line)")
        #expect(figure <= 2.0, "\(result.output)")
    }

    /// sysusers creates the kioskd user in a scratch root, then tmpfiles gives /etc/kioskd and the
    /// configuration (the SIP password) to its group only.
    @Test func sysusersAndTmpfilesSetUpTheUserAndTheConfigurationFolder() throws {
        let root = try TestEnvironment.temporaryDirectory("sdsysusers")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/etc", withIntermediateDirectories: true)
        let sysusers = try Self.run("systemd-sysusers", ["--root=\(root)", "\(TestEnvironment.packageRoot)/systemd/kioskd.sysusers.conf"])
        #expect(sysusers.status == 0, "\(sysusers.output)")
        #expect(sysusers.output.contains("Creating user 'kioskd'"), "\(sysusers.output)")
        #expect(!sysusers.output.contains("ignoring") && !sysusers.output.contains("Failed"), "\(sysusers.output)")
        let group = try String(contentsOfFile: "\(root)/etc/group", encoding: .utf8)
        let gid = try #require(group.split(separator: "\n").first { $0.hasPrefix("kioskd:") }?.split(separator: ":")[2], "\(group)")

        let tmpfiles = "\(TestEnvironment.packageRoot)/systemd/kioskd.tmpfiles.conf"
        let created = try Self.run("systemd-tmpfiles", ["--root=\(root)", "--create", tmpfiles])
        #expect(created.status == 0 && created.output.isEmpty, "\(created.output)")
        FileManager.default.createFile(atPath: "\(root)/etc/kioskd/kioskd.json", contents: Data("{}".utf8))
        let fixed = try Self.run("systemd-tmpfiles", ["--root=\(root)", "--create", tmpfiles])
        #expect(fixed.status == 0 && fixed.output.isEmpty, "\(fixed.output)")
        for (path, mode) in [("\(root)/etc/kioskd", 0o750), ("\(root)/etc/kioskd/kioskd.json", 0o640)] {
            var st = stat()
            try #require(stat(path, &st) == 0, "\(path)")
            #expect(Int(st.st_mode) & 0o7777 == mode, "\(path): \(String(st.st_mode & 0o7777, radix: 8))")
            #expect(st.st_uid == 0 && "\(st.st_gid)" == gid, "\(path): \(st.st_uid):\(st.st_gid)")
        }
    }

    // MARK: - Board files

    /// udev 252 has no `udevadm verify`; `udevadm test` reads every rules file and names the lines it
    /// cannot parse. It reads only the system's rule folders, so the rules go into /run/udev/rules.d
    /// (root only) for the check and are removed after.
    @Test func udevParsesTheBoardRules() throws {
        try #require(getuid() == 0, "needs root to place rules in /run/udev/rules.d")
        let rules = try String(contentsOfFile: "\(TestEnvironment.packageRoot)/Board/udev/99-kioskd.rules", encoding: .utf8)
        let name = "99-kioskd-test-\(getpid()).rules"
        let path = "/run/udev/rules.d/\(name)"
        try FileManager.default.createDirectory(atPath: "/run/udev/rules.d", withIntermediateDirectories: true)
        defer { unlink(path) }
        func complaints(_ text: String) throws -> [Substring] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Self.run("udevadm", ["test", "/sys/class/mem/null"])
            #expect(result.output.contains("Reading rules file: \(path)"), "\(result.output)")
            return result.output.split(separator: "\n").filter { $0.contains(name) && !$0.contains("Reading rules file") }
        }
        #expect(try complaints(rules).isEmpty)
        // The check can fail: a misspelt key is named.
        #expect(try complaints(rules.replacingOccurrences(of: "SYMLINK+=", with: "SYMLNK+=")).count == 3)
    }

    /// The ALSA config parses and `kiosk` resolves down to the KioskAudio card (absent here, so opening
    /// it stops at finding the card, not at an unknown or malformed PCM).
    @Test func alsaKnowsTheKioskPCM() throws {
        let environment = ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(TestEnvironment.packageRoot)/Board/alsa/asound.conf"]
        let list = try Self.run("aplay", ["-L"], environment: environment)
        #expect(list.output.contains("kiosk\n    Kiosk call audio (48 kHz mono, shared)"), "\(list.output)")
        let open = try Self.run("arecord", ["-D", "kiosk", "-d", "1", "-f", "S16_LE", "-r", "48000", "-c", "1", "/dev/null"],
                                environment: environment)
        #expect(open.status == 0 || open.output.contains("Cannot get card index for KioskAudio"), "\(open.output)")
        #expect(!open.output.contains("Unknown PCM") && !open.output.contains("parse"), "\(open.output)")
    }
}
