// The daemon through a two-way 640x480 call: the release `kioskd run` (synthetic camera, a tone, the
// agent's voice played into a file) calls baresip as the agent (fakevideo at 640x480, a tone). The
// agent asks for the customer's video (`video_dir sendrecv`, a re-INVITE), the customer agrees with a
// press (select), and for the measured seconds the kiosk sends and receives video and audio. Measured:
// kioskd's CPU (utime + stime from /proc/PID/stat) and its peak RSS (VmHWM from /proc/PID/status).
// Checked: the call really was two-way (the agent's snapshot of the kiosk's video is 640x480, the
// kiosk's log says it decoded the agent's pictures).
import Media
#if canImport(Glibc)
import Glibc
#endif

/// A process the benchmark started, stopped by its PID.
struct BenchProcess {
    let pid: pid_t
    /// The write end of its standard input (-1: /dev/null).
    let stdinFD: Int32
    let logPath: String

    /// Starts `argv` in `dir` with standard output and error into `logPath`; with `pipeStdin`, standard
    /// input is a pipe the benchmark writes (the kiosk's keys).
    init(_ argv: [String], dir: String, logPath: String, pipeStdin: Bool) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var writeEnd: Int32 = -1
        if pipeStdin {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { fatal("pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
            writeEnd = fds[1]
            defer { close(fds[0]) }
            self.init(argv, dir: dir, logPath: logPath, actions: &actions, stdinFD: writeEnd)
            return
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        self.init(argv, dir: dir, logPath: logPath, actions: &actions, stdinFD: -1)
    }

    private init(_ argv: [String], dir: String, logPath: String, actions: inout posix_spawn_file_actions_t, stdinFD: Int32) {
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        var cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        // The child starts in `dir` (baresip writes its recordings relative to its config).
        let previous = getcwd(nil, 0)
        defer { if let previous { chdir(previous); free(previous) } }
        chdir(dir)
        let path = argv[0].contains("/") ? argv[0] : "/usr/bin/\(argv[0])"
        let rc = posix_spawn(&pid, path, &actions, nil, &cargs, environ)
        guard rc == 0 else { fatal("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        self.pid = pid
        self.stdinFD = stdinFD
        self.logPath = logPath
    }

    var log: String { readText(logPath) }

    func type(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = write(stdinFD, bytes, bytes.count)
    }

    /// Waits for `text` in the log, at most `seconds`.
    func waitFor(_ text: String, seconds: Double) -> Bool {
        let until = MonotonicClock.nowNanos() + UInt64(seconds * 1e9)
        while MonotonicClock.nowNanos() < until {
            if log.contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; returns the exit status (-1: killed or unknown).
    @discardableResult
    func stop(grace: Double = 15) -> Int32 {
        // Standard input stays open until the process has gone: its end would race the SIGTERM
        // (kioskd's key reader ends on it, which the service group counts as a failure in a shutdown).
        defer { if stdinFD >= 0 { close(stdinFD) } }
        kill(pid, SIGTERM)
        let until = MonotonicClock.nowNanos() + UInt64(grace * 1e9)
        var status: Int32 = 0
        while MonotonicClock.nowNanos() < until {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1 }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return -1
    }

    /// utime + stime in milliseconds (from /proc/PID/stat; fields after the command's closing paren).
    var cpuMillis: Double {
        let stat = readText("/proc/\(pid)/stat")
        guard let paren = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: paren)...].split(separator: " ")
        // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A line of /proc/PID/status in MB (VmRSS, VmHWM).
    func statusMB(_ key: String) -> Double {
        for line in readText("/proc/\(pid)/status").split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}

/// baresip's ctrl_tcp: netstring-framed JSON both ways.
struct BaresipControl {
    let fd: Int32

    init?(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { Glibc.close(fd); return nil }
    }

    func send(_ command: String, _ params: String = "") {
        let escaped = params.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
        let body = "{\"command\":\"\(command)\",\"params\":\"\(escaped)\",\"token\":\"bench\"}"
        let frame = Array("\(body.utf8.count):\(body),".utf8)
        _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// What arrived within `millis` (the raw netstrings; the benchmark looks for event names in them).
    func read(millis: Int32) -> String {
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let until = MonotonicClock.nowNanos() + UInt64(millis) * 1_000_000
        while MonotonicClock.nowNanos() < until {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(1, (until - min(until, MonotonicClock.nowNanos())) / 1_000_000))
            guard poll(&pfd, 1, left) == 1 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads until `text` shows up (true) or `seconds` pass; what was read is added to `seen`.
    func waitFor(_ text: String, seconds: Double, seen: inout String) -> Bool {
        let until = MonotonicClock.nowNanos() + UInt64(seconds * 1e9)
        while MonotonicClock.nowNanos() < until {
            seen += read(millis: 200)
            if seen.contains(text) { return true }
        }
        return false
    }

    func close() { Glibc.close(fd) }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The integer right before `suffix` in the first place `prefix … suffix` appears ("video 1234 packets").
    func number(after prefix: String, before suffix: String) -> Int? {
        guard let start = firstRange(of: prefix) else { return nil }
        let rest = self[start.upperBound...]
        guard let end = rest.firstRange(of: suffix) else { return nil }
        return Int(rest[..<end.lowerBound].filter { $0.isNumber })
    }
}

/// A free loopback port of `type` (bound, read, closed: a small race the benchmark accepts).
func freePort(_ type: Int32, evenPair: Bool = false) -> Int {
    while true {
        let fd = socket(AF_INET, type, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        close(fd)
        let port = Int(UInt16(bigEndian: address.sin_port))
        if !evenPair || (port % 2 == 0 && port < 65_000) { return port }
    }
}

/// A 16-bit stereo 48 kHz WAV of a sine (baresip's aufile source for opus/48000/2).
func writeToneWAV(_ path: String, hz: Double, seconds: Int) {
    let frames = 48_000 * seconds
    var bytes = [UInt8]()
    bytes.reserveCapacity(44 + frames * 4)
    func u32(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
    func u16(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    bytes += Array("RIFF".utf8); u32(36 + frames * 4); bytes += Array("WAVEfmt ".utf8)
    u32(16); u16(1); u16(2); u32(48_000); u32(48_000 * 4); u16(4); u16(16)
    bytes += Array("data".utf8); u32(frames * 4)
    for n in 0..<frames {
        let s = Int(sin(2 * Double.pi * hz * Double(n) / 48_000) * 0.3 * 32_767)
        u16(s & 0xFFFF); u16(s & 0xFFFF)
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

/// A PNG's width and height (its IHDR), or nil.
func pngSize(_ path: String) -> (Int, Int)? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: 24)
    guard read(fd, &head, 24) == 24, head[1] == UInt8(ascii: "P"), head[12] == UInt8(ascii: "I") else { return nil }
    let be = { (i: Int) in Int(head[i]) << 24 | Int(head[i + 1]) << 16 | Int(head[i + 2]) << 8 | Int(head[i + 3]) }
    return (be(16), be(20))
}

/// One call's figures.
struct CallFigures {
    var cpuPercent: Double
    var peakRSSMB: Double
    var idleRSSMB: Double
    var summary: String
}

/// Runs `runs` two-way calls of `seconds` each; prints each call's figures and min/median/max.
func benchCall(kioskd: String, seconds: Int, runs: Int, workDir: String) {
    // The processes start in their own folders: the daemon's path must not be relative.
    guard let resolved = realpath(kioskd, nil) else { fatal("no kioskd at \(kioskd)") }
    let kioskd = String(cString: resolved)
    free(resolved)
    var results: [CallFigures] = []
    for run in 1...runs {
        guard let figures = oneCall(kioskd: kioskd, seconds: seconds, dir: "\(workDir)/call-\(run)") else {
            fatal("the two-way call benchmark failed (logs in \(workDir)/call-\(run))")
        }
        print("call \(run): kioskd CPU \(fmt(figures.cpuPercent)) % of one core (\(fmt(figures.cpuPercent * 10)) ms/s), peak RSS \(fmt(figures.peakRSSMB)) MB (idle before the call \(fmt(figures.idleRSSMB)) MB); \(figures.summary)")
        results.append(figures)
    }
    func spread(_ values: [Double]) -> String {
        let v = values.sorted()
        return "min \(fmt(v.first!)) median \(fmt(v[v.count / 2])) max \(fmt(v.last!))"
    }
    print("two-way 640x480 call, \(seconds) s, \(runs) run(s): kioskd CPU % of one core \(spread(results.map(\.cpuPercent))); peak RSS MB \(spread(results.map(\.peakRSSMB))) (target < 80)")
}

private func oneCall(kioskd: String, seconds: Int, dir: String) -> CallFigures? {
    guard var call = TwoWayCall.start(kioskd: kioskd, seconds: seconds, dir: dir) else { return nil }
    let idleRSS = call.idleRSSMB
    let daemon = call.daemon
    let cpuStart = daemon.cpuMillis, wallStart = MonotonicClock.nowNanos()
    var peakSampled = 0.0
    for _ in 0..<seconds {
        usleep(1_000_000)
        peakSampled = max(peakSampled, daemon.statusMB("VmRSS"))
    }
    let cpu = daemon.cpuMillis - cpuStart, wall = Double(MonotonicClock.nowNanos() - wallStart) / 1e6
    let peak = daemon.statusMB("VmHWM")
    guard let summary = call.finish(seconds: seconds) else { return nil }
    return CallFigures(cpuPercent: cpu / wall * 100, peakRSSMB: max(peak, peakSampled), idleRSSMB: idleRSS, summary: summary)
}

/// A two-way 640x480 call in progress between the release `kioskd run` and baresip as the agent, both on
/// free loopback ports: `start` returns once the kiosk's camera is open and both send video; `finish`
/// hangs up, stops both and checks the call really was two-way. The call benchmark measures CPU and
/// memory through it, the fleet load benchmark the kiosk's frame timing while its API is loaded.
struct TwoWayCall {
    let agent: BenchProcess
    let control: BaresipControl
    let daemon: BenchProcess
    let dir: String
    /// The agent's RTP ports (audio and video, RTCP multiplexed): rtpBase ... rtpBase + 3.
    let rtpBase: Int
    /// kioskd's resident memory before the call was placed.
    let idleRSSMB: Double
    private var events = ""

    /// Starts both and places the call; `extraConfig` is more of kioskd's JSON sections (`"fleet": {…}`);
    /// `seconds` is how long the call may last (the agent's tone file). Nil (both stopped, logs printed)
    /// when the call did not come up.
    static func start(kioskd: String, seconds: Int, dir: String, extraConfig: String = "") -> TwoWayCall? {
        mkdir(dir, 0o755)
        let agentDir = "\(dir)/agent", recordDir = "\(dir)/agent/received"
        mkdir(agentDir, 0o755)
        mkdir(recordDir, 0o755)
        let sipPort = freePort(Int32(SOCK_DGRAM.rawValue)), controlPort = freePort(Int32(SOCK_STREAM.rawValue))
        let kioskPort = freePort(Int32(SOCK_DGRAM.rawValue))
        let rtpBase = freePort(Int32(SOCK_DGRAM.rawValue), evenPair: true)
        writeToneWAV("\(agentDir)/tone.wav", hz: 660, seconds: seconds + 30)
        writeFile("\(agentDir)/config", """
        poll_method\t\tepoll
        sip_listen\t\t127.0.0.1:\(sipPort)
        call_local_timeout\t120
        audio_player\t\taubridge,nil
        audio_source\t\taufile,\(agentDir)/tone.wav
        audio_alert\t\taubridge,nil
        video_source\t\tfakevideo,nil
        video_display\t\tfakevideo,nil
        video_size\t\t640x480
        video_bitrate\t\t800000
        video_fps\t\t30
        rtp_ports\t\t\(rtpBase)-\(rtpBase + 3)
        rtcp_mux\t\tyes
        rtp_stats\t\tyes
        jitter_buffer_delay\t5-10
        module_path\t\t/usr/lib/baresip/modules
        module\t\t\topus.so
        module\t\t\tvp8.so
        module\t\t\taufile.so
        module\t\t\taubridge.so
        module\t\t\tfakevideo.so
        module\t\t\tsrtp.so
        module\t\t\tsnapshot.so
        module_tmp\t\taccount.so
        module_app\t\tmenu.so
        module_app\t\tcontact.so
        module_app\t\tctrl_tcp.so
        ctrl_tcp_listen\t\t127.0.0.1:\(controlPort)
        opus_bitrate\t\t28000
        net_interface\t\t127.0.0.1
        statmode_default\toff

        """)
        writeFile("\(agentDir)/accounts", "<sip:agent@127.0.0.1:\(sipPort)>;regint=0;answermode=auto;mediaenc=srtp;audio_codecs=opus/48000/2;video_codecs=vp8\n")
        writeFile("\(agentDir)/contacts", "\"Kiosk\" <sip:kiosk@127.0.0.1:\(kioskPort)>\n")
        // The kiosk as shipped with no devices but a speaker: synthetic camera at 640x480, a tone for the
        // microphone, the agent's voice decoded and played into a file (ALSA's file plugin).
        let agentURI = "sip:agent@127.0.0.1:\(sipPort)"
        writeFile("\(dir)/kioskd.json", """
        { "kiosk": { "id": "KSK-BENCH", "name": "Benchmark" }, "log": { "level": "info" },
          "camera": { "device": "synthetic", "size": "640x480" }, "microphone": { "device": "tone:440" },
          "speaker": { "device": "file:'\(dir)/speaker.raw',raw" }, "display": { "languages": ["en"] },
          "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "127.0.0.1" },
          "contactCenter": { "categories": { "general": "\(agentURI)" } }\(extraConfig.isEmpty ? "" : ",\n  " + extraConfig) }
        """)

        let agent = BenchProcess(["baresip", "-f", agentDir], dir: agentDir, logPath: "\(agentDir)/baresip.log", pipeStdin: false)
        var connected: BaresipControl?
        for _ in 0..<100 where connected == nil {
            usleep(100_000)
            connected = BaresipControl(port: controlPort)
        }
        guard let control = connected else { agent.stop(); print("baresip did not start: \(agent.log.suffix(2000))"); return nil }
        let daemon = BenchProcess([kioskd, "run", "--config", "\(dir)/kioskd.json", "--keys-from-stdin"], dir: dir,
                                  logPath: "\(dir)/kioskd.log", pipeStdin: true)
        var call = TwoWayCall(agent: agent, control: control, daemon: daemon, dir: dir, rtpBase: rtpBase, idleRSSMB: 0)
        guard daemon.waitFor("sip: listening on udp", seconds: 15), daemon.waitFor("keys: Enter is the call button", seconds: 5) else {
            return call.fail("kioskd did not start")
        }
        usleep(1_000_000)
        call = TwoWayCall(agent: agent, control: control, daemon: daemon, dir: dir, rtpBase: rtpBase, idleRSSMB: daemon.statusMB("VmRSS"))
        daemon.type("")  // the call button
        guard control.waitFor("CALL_ESTABLISHED", seconds: 15, seen: &call.events) else { return call.fail("the agent never answered") }
        guard daemon.waitFor("call: answered", seconds: 5) else { return call.fail("the kiosk never saw the answer") }
        // The agent asks for the customer's video; the consent prompt shows; after its guard time the
        // customer agrees (select).
        control.send("video_dir", "sendrecv")
        usleep(1_500_000)
        daemon.type("s")
        guard daemon.waitFor("video: synthetic 640x480", seconds: 10) else { return call.fail("the kiosk's camera never opened") }
        usleep(1_000_000)
        return call
    }

    /// Stops both and prints their logs' ends; nil for the caller to return.
    func fail(_ why: String) -> TwoWayCall? {
        daemon.stop()
        agent.stop()
        control.close()
        print("call: \(why)\n--- kioskd ---\n\(daemon.log.suffix(3000))\n--- baresip ---\n\(agent.log.suffix(3000))")
        return nil
    }

    /// Takes the agent's snapshot of the kiosk's video, hangs up, stops both, and checks the call was
    /// two-way for at least `seconds` (the agent decoded 640x480 from the kiosk, the kiosk sent and decoded
    /// video). Returns the figures' summary line, or nil (logs printed).
    mutating func finish(seconds: Int) -> String? {
        let snapshot = "\(dir)/agent-received.png"
        control.send("snapshot_recv", snapshot)
        usleep(1_000_000)
        daemon.type("h")
        _ = control.waitFor("CALL_CLOSED", seconds: 10, seen: &events)
        _ = daemon.waitFor("call: media sent", seconds: 10)
        let log = daemon.log
        let status = daemon.stop()
        control.send("quit")
        usleep(300_000)
        agent.stop()
        control.close()
        func failed(_ why: String) -> String? {
            print("call: \(why)\n--- kioskd ---\n\(log.suffix(3000))\n--- baresip ---\n\(agent.log.suffix(3000))")
            return nil
        }

        guard let summaryStart = log.firstRange(of: "call: media sent") else { return failed("the kiosk logged no media summary") }
        let summary = String(log[summaryStart.lowerBound...].prefix { $0 != "\n" })
        let framesSent = summary.number(after: "video ", before: " frames") ?? 0
        let decoded = summary.number(after: "; decoded ", before: " pictures") ?? 0
        guard let size = pngSize(snapshot) else { return failed("the agent wrote no snapshot of the kiosk's video") }
        guard size == (640, 480), framesSent > seconds * 20, decoded > seconds * 20 else {
            return failed("not a two-way 640x480 call: agent's snapshot \(size), kiosk sent \(framesSent) video frames, decoded \(decoded) pictures")
        }
        // The logs stay; the big media files go.
        unlink("\(dir)/agent/tone.wav")
        unlink("\(dir)/speaker.raw")
        return "agent's snapshot of the kiosk \(size.0)x\(size.1); kiosk \(summary.dropFirst(6)); kioskd exit \(status)"
    }
}

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fatal("cannot write \(path)") }
    let bytes = Array(text.utf8)
    _ = write(fd, bytes, bytes.count)
    close(fd)
}
