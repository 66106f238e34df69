import Foundation

/// A program a test starts: output to files in the test's folder, stopped by its PID when the test ends.
/// Spawned with posix_spawn and reaped with waitpid by the test itself: Foundation's Process learns of
/// a child's end through SIGCHLD, and with many peers' processes around that was seen to miss exits.
final class TestProcess: @unchecked Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private var status: Int32?
    private var stdinWriter: Int32 = -1

    /// `keepStdinOpen`: the program's standard input is a pipe held open until it stops (baresip's
    /// console wants one); otherwise /dev/null.
    init(_ executable: String, _ arguments: [String], in dir: String, name: String, keepStdinOpen: Bool = false) throws {
        let path = executable.hasPrefix("/") ? executable : try TestProcess.which(executable)
        stdoutPath = "\(dir)/\(name).out"
        stderrPath = "\(dir)/\(name).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if keepStdinOpen {
            guard pipe(&pipeEnds) == 0 else { throw TestSetupError("pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The working directory is set by a shell in between, which then becomes the program (exec).
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", dir, path] + arguments
        var cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, nil, &cargs, environ)
        if keepStdinOpen { close(pipeEnds[0]) }
        guard rc == 0 else {
            if keepStdinOpen { close(pipeEnds[1]) }
            throw TestSetupError("cannot start \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdinWriter = keepStdinOpen ? pipeEnds[1] : -1
    }

    /// Whether the program still runs (reaping it when it has ended).
    /// Writes to the program's standard input (started with `keepStdinOpen`).
    func writeStdin(_ text: String) {
        guard stdinWriter >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(stdinWriter, $0.baseAddress, $0.count) }
    }

    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        let r = waitpid(pid, &raw, WNOHANG)
        guard r == pid else { return r == 0 }
        // Exited: its code; killed by a signal: 128 + the signal, as a shell reports it.
        status = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        return false
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the program to end; nil if it is still running.
    @discardableResult
    func wait(seconds: Double) -> Int32? {
        let until = Date().addingTimeInterval(seconds)
        while isRunning && Date() < until { usleep(20_000) }
        return isRunning ? nil : status
    }

    func signal(_ sig: Int32) { if isRunning { kill(pid, sig) } }

    /// Ends the program: SIGTERM, then SIGKILL if it lingers.
    func stop() {
        signal(SIGTERM)
        if wait(seconds: 5) == nil {
            signal(SIGKILL)
            wait(seconds: 5)
        }
        if stdinWriter >= 0 {
            close(stdinWriter)
            stdinWriter = -1
        }
    }

    deinit { stop() }

    static func which(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestSetupError("\(name) is not installed (run `make deps`)")
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum TestEnvironment {
    /// The package's root folder, found from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The kioskd binary under test: $KIOSKD_BIN, or the debug build `swift build` leaves.
    static func kioskd() throws -> String {
        let path = ProcessInfo.processInfo.environment["KIOSKD_BIN"] ?? "\(packageRoot)/.build/debug/kioskd"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("no kioskd binary at \(path): run `swift build` first (make test does)")
        }
        return path
    }

    /// A fresh folder for one test's files, removed by the caller with `removeItem`.
    static func temporaryDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "kioskd-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// An even UDP port P on 127.0.0.1 with P..<P+count free (by default video and audio RTP/RTCP).
    static func freeEvenPortBlock(count: Int = 4) throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...59_000) & ~1
            var sockets: [Int32] = []
            defer { sockets.forEach { close($0) } }
            var ok = true
            for port in base..<(base + count) {
                let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
                sockets.append(s)
                var addr = sockaddr_in()
                addr.sin_family = sa_family_t(AF_INET)
                addr.sin_port = in_port_t(UInt16(port).bigEndian)
                addr.sin_addr.s_addr = inet_addr("127.0.0.1")
                let rc = withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                if rc != 0 { ok = false; break }
            }
            if ok { return base }
        }
        throw TestSetupError("no free UDP port block on 127.0.0.1")
    }

    /// Waits until some process has a UDP socket bound to `port` (from /proc/net/udp and udp6).
    static func waitForUDPListener(port: Int, seconds: Double) -> Bool {
        let hex = String(format: ":%04X ", port)
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            for table in ["/proc/net/udp", "/proc/net/udp6"] {
                if let text = try? String(contentsOfFile: table, encoding: .utf8),
                   text.split(separator: "\n").contains(where: { $0.split(separator: " ").dropFirst().first.map { "\($0) ".hasSuffix(hex) } ?? false }) {
                    return true
                }
            }
            usleep(50_000)
        }
        return false
    }
    /// A free UDP port on 127.0.0.1 (the kernel's pick, released again for the peer to bind).
    static func freePort() throws -> Int { try boundPort(type: SOCK_DGRAM) }

    /// A free TCP port on 127.0.0.1.
    static func freeTCPPort() throws -> Int { try boundPort(type: SOCK_STREAM) }

    private static func boundPort(type: __socket_type) throws -> Int {
        let s = socket(AF_INET, Int32(type.rawValue), 0)
        defer { close(s) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) == 0 && getsockname(s, $0, &len) == 0 }
        }
        guard ok else { throw TestSetupError("no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Waits until nothing is bound to UDP `port` any more.
    static func waitForUDPListenerGone(port: Int, seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if !isListed(port: port, tables: ["/proc/net/udp", "/proc/net/udp6"], listeningOnly: false) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Waits until some process listens on TCP `port`.
    static func waitForTCPListener(port: Int, seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if isListed(port: port, tables: ["/proc/net/tcp", "/proc/net/tcp6"], listeningOnly: true) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Whether a /proc/net table has a socket on local `port` (in state LISTEN, 0A, if asked).
    static func isListed(port: Int, tables: [String], listeningOnly: Bool) -> Bool {
        let hex = String(format: ":%04X", port)
        for table in tables {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[1].hasSuffix(hex) else { continue }
                if !listeningOnly || fields[3] == "0A" { return true }
            }
        }
        return false
    }
}
