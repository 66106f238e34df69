import Foundation

/// A program a test starts: output to files in the test's folder, stopped by its PID when the test ends.
final class TestProcess: @unchecked Sendable {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], in dir: String, name: String) throws {
        let path = executable.hasPrefix("/") ? executable : try TestProcess.which(executable)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        stdoutPath = "\(dir)/\(name).out"
        stderrPath = "\(dir)/\(name).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the program to end; nil if it is still running.
    @discardableResult
    func wait(seconds: Double) -> Int32? {
        let until = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < until { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func signal(_ sig: Int32) { if process.isRunning { kill(pid, sig) } }

    /// Ends the program: SIGTERM, then SIGKILL if it lingers.
    func stop() {
        signal(SIGTERM)
        if wait(seconds: 5) == nil {
            signal(SIGKILL)
            wait(seconds: 5)
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

    /// An even UDP port P on 127.0.0.1 with P...P+3 free (video RTP/RTCP, audio RTP/RTCP).
    static func freeEvenPortBlock() throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...59_000) & ~1
            var sockets: [Int32] = []
            defer { sockets.forEach { close($0) } }
            var ok = true
            for port in base..<(base + 4) {
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
