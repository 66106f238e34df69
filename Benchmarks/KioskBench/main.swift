// kiosk-bench: CPU per frame of the send pipeline (synthetic source → VP8 → RTP packets) against
// `vpxenc --rt` with the same encoder settings on the same frames, in one run; and peak RSS of the real
// streaming process (`kioskd stream`) against vpxenc's; decode cost against vpxdec on vpxenc's stream.
//
//   swift run -c release kiosk-bench [--frames 300] [--cpu-used -6] [--kioskd PATH] [--call-seconds 60]
//                                    [--call-runs 1] [--fleet-seconds 20] [--fleet-runs 3]
//                                    [--only encode,stream,sip,flow,call,fleet]
import Kiosk
import Logging
import Media
import RTP
import SIP
import SIPUserAgent
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var frames = 300
    var cpuUsed = -6
    var sizes = [FrameSize(width: 1280, height: 720), FrameSize(width: 640, height: 480)]
    var kioskd: String?
    var workDir = "/tmp/kiosk-bench-\(getpid())"
    /// The two-way call (needs --kioskd): its measured seconds, and how many calls.
    var callSeconds = 60
    var callRuns = 1
    /// The fleet API under load during a call (needs --kioskd): seconds per phase, and how many calls.
    var fleetSeconds = 20
    var fleetRuns = 3
    /// The parts to run (all by default): encode (and decode, compositing), stream, sip, flow, call, fleet.
    var only: Set<String> = ["encode", "stream", "sip", "flow", "call", "fleet"]

    func runs(_ part: String) -> Bool { only.contains(part) }

    init(_ args: [String]) {
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--frames": frames = Int(value) ?? frames; i += 1
            case "--cpu-used": cpuUsed = Int(value) ?? cpuUsed; i += 1
            case "--kioskd": kioskd = value; i += 1
            case "--sizes": sizes = value.split(separator: ",").compactMap { FrameSize(parsing: String($0)) }; i += 1
            case "--call-seconds": callSeconds = max(1, Int(value) ?? callSeconds); i += 1
            case "--call-runs": callRuns = max(1, Int(value) ?? callRuns); i += 1
            case "--fleet-seconds": fleetSeconds = max(2, Int(value) ?? fleetSeconds); i += 1
            case "--fleet-runs": fleetRuns = max(1, Int(value) ?? fleetRuns); i += 1
            case "--only": only = Set(value.split(separator: ",").map(String.init)); i += 1
            default: fatal("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

func fatal(_ message: String) -> Never {
    let line = Array("kiosk-bench: \(message)\n".utf8)
    _ = write(2, line, line.count)
    exit(2)
}

/// CPU time (user + system) of this thread so far, in milliseconds.
func threadCPUMillis() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
}

/// Runs a program to its end under GNU time; returns its CPU milliseconds (user + system) and peak RSS
/// in MB. GNU time forks the program, so the figure is the program's own: a child spawned straight from
/// this process (posix_spawn shares memory until exec) would inherit this process's peak in ru_maxrss.
func runMeasured(_ argv: [String], workDir: String) -> (cpuMillis: Double, peakRSSMB: Double, status: Int32) {
    let report = "\(workDir)/time-\(UInt32.random(in: 0...UInt32.max)).txt"
    let timed = ["/usr/bin/time", "-f", "%U %S %M", "-o", report] + argv
    var pid: pid_t = 0
    var cargs = timed.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let rc = posix_spawn(&pid, timed[0], &actions, nil, &cargs, environ)
    guard rc == 0 else { fatal("cannot start \(timed[0]) (install the time package): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let fields = readText(report).split(whereSeparator: { $0 == " " || $0 == "\n" }).suffix(3).compactMap { Double($0) }
    unlink(report)
    guard fields.count == 3 else { fatal("no timing from GNU time for \(argv[0])") }
    return ((fields[0] + fields[1]) * 1000, fields[2] / 1024, (status >> 8) & 0xFF)
}

func readText(_ path: String) -> String {
    guard let f = fopen(path, "r") else { return "" }
    defer { fclose(f) }
    var out = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

/// Writes the frames vpxenc will read, generated one at a time like the live source does.
func writeFrames(_ camera: SyntheticCamera, count: Int, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fatal("cannot write \(path)") }
    for n in 0..<count { _ = camera.frame(number: n).bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
    close(fd)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
mkdir(options.workDir, 0o755)
if options.runs("encode") {
    print("kiosk-bench: \(options.frames) synthetic frames per size, VP8 real-time cpu-used \(options.cpuUsed), 1 thread, CBR")
    for size in options.sizes {
        let bitrate = size.width >= 1280 ? 2000 : 1000
        var settings = MediaSettings(camera: .synthetic, size: size, framesPerSecond: 30, videoBitrateKbps: bitrate, cpuUsed: options.cpuUsed)
        settings.keyFrameIntervalSeconds = 0

        // The same frames for both: vpxenc reads them from a file; the pipeline makes them as it goes,
        // the way the live source does, so its figure includes the source.
        let yuv = "\(options.workDir)/frames-\(size).yuv"
        writeFrames(SyntheticCamera(size: size, framesPerSecond: 30, paced: false), count: options.frames, to: yuv)
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)

        let encoder = VideoRTPEncoder(settings: settings, ssrc: 1, initialSequence: 0, initialTimestamp: 0, initialPictureID: 0)
        var packets = 0, bytes = 0
        var sourceMillis = 0.0
        let start = threadCPUMillis()
        for n in 0..<options.frames {
            let t0 = threadCPUMillis()
            guard var frame = try camera.nextFrame(timeoutMillis: 0) else { fatal("synthetic source gave no frame") }
            frame.captureTimeNanos = UInt64(n) * 33_333_333
            sourceMillis += threadCPUMillis() - t0
            for packet in try encoder.packets(for: frame) {
                let wire = packet.serialized()
                packets += 1
                bytes += wire.count
            }
        }
        let pipelineMillis = (threadCPUMillis() - start) / Double(options.frames)
        sourceMillis /= Double(options.frames)

        let vpx = runMeasured([
            "vpxenc", "--codec=vp8", "--rt", "--cpu-used=\(options.cpuUsed)", "--threads=1", "--end-usage=cbr",
            "--target-bitrate=\(bitrate)", "--lag-in-frames=0", "--error-resilient=1", "--kf-max-dist=999999",
            "--min-q=2", "--max-q=56", "--undershoot-pct=100", "--overshoot-pct=15", "--buf-sz=1000",
            "--buf-initial-sz=500", "--buf-optimal-sz=600", "--noise-sensitivity=0", "--static-thresh=1",
            "--max-intra-rate=300", "--drop-frame=0", "--i420", "-w", "\(size.width)", "-h", "\(size.height)",
            "--fps=30/1", "--limit=\(options.frames)", "--ivf", "-o", "\(options.workDir)/vpxenc-\(size).ivf", yuv,
        ], workDir: options.workDir)
        guard vpx.status == 0 else { fatal("vpxenc failed with status \(vpx.status)") }
        let vpxMillis = vpx.cpuMillis / Double(options.frames)
        print("\(size): pipeline \(fmt(pipelineMillis)) ms/frame (of which source \(fmt(sourceMillis)) ms), vpxenc \(fmt(vpxMillis)) ms/frame, ratio \(fmt(pipelineMillis / vpxMillis)); \(packets) RTP packets, \(bytes / 1024) KiB; vpxenc peak RSS \(fmt(vpx.peakRSSMB)) MB")
        unlink(yuv)
        benchDecode(ivf: "\(options.workDir)/vpxenc-\(size).ivf", size: size, workDir: options.workDir)
    }

    benchCompositing(frames: options.frames)
}

if let kioskd = options.kioskd, options.runs("stream") {
    // The real streaming process at 720p, sending to a loopback port nobody reads.
    let r = runMeasured([kioskd, "stream", "--to", "127.0.0.1:39990", "--camera", "synthetic", "--size", "1280x720",
                         "--fps", "30", "--frames", "\(options.frames)", "--microphone", "tone:440", "--bitrate", "2000"], workDir: options.workDir)
    print("kioskd stream 1280x720: peak RSS \(fmt(r.peakRSSMB)) MB, CPU \(fmt(r.cpuMillis / Double(options.frames))) ms/frame incl. audio (exit \(r.status))")
}

// SIP: parse + serialize of a typical INVITE with SDP, messages per second on this thread.
if options.runs("sip") {
    let invite = Array("""
    INVITE sip:loans@cc.example.org SIP/2.0\r
    Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r
    Max-Forwards: 70\r
    To: <sip:loans@cc.example.org>\r
    From: "Kiosk Rathaus" <sip:kiosk-0412@cc.example.org>;tag=1928301774\r
    Call-ID: a84b4c76e66710@192.0.2.10\r
    CSeq: 1 INVITE\r
    Contact: <sip:kiosk-0412@192.0.2.10:5060>\r
    Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO\r
    User-Agent: kioskd/0.1 (KSK-0412)\r
    X-Kiosk-Id: KSK-0412\r
    X-Kiosk-Category: loans\r
    User-to-User: 6B696F736B49643D4B534B2D303431323B63617465676F72793D6C6F616E73;encoding=hex\r
    Content-Type: application/sdp\r
    Content-Length: 411\r
    \r
    v=0\r
    o=kioskd 4711 1 IN IP4 192.0.2.10\r
    s=kioskd\r
    c=IN IP4 192.0.2.10\r
    t=0 0\r
    m=audio 40000 RTP/SAVPF 111\r
    a=rtpmap:111 opus/48000/2\r
    a=fmtp:111 minptime=10;useinbandfec=1\r
    a=rtcp-mux\r
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r
    m=video 40002 RTP/SAVPF 96\r
    a=rtpmap:96 VP8/90000\r
    a=rtcp-fb:96 nack\r
    a=rtcp-fb:96 nack pli\r
    a=rtcp-fb:96 ccm fir\r
    a=rtcp-mux\r
    a=recvonly\r
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj\r
    \r

    """.utf8)
    do {
        let rounds = 100_000
        var bytes = 0
        let start = threadCPUMillis()
        for _ in 0..<rounds {
            guard let message = try? SIPMessageParser.parse(invite) else { fatal("the benchmark INVITE does not parse") }
            bytes += message.serialized().count
        }
        let millis = threadCPUMillis() - start
        print("SIP INVITE with SDP (\(invite.count) bytes): \(Int(Double(rounds) / millis * 1000)) parse+serialize per second on one core (\(fmt(millis * 1000 / Double(rounds))) µs each)")
    }

    // Call placement: from CallEngine.placeCall to the INVITE arriving at a socket standing in for the
    // contact center (it never answers), over loopback, 20 times.
    do {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, length) == 0 && getsockname(receiver, $0, &length) == 0 }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var config = try KioskConfig.parse(Array("""
        { "kiosk": { "id": "KSK-BENCH" }, "camera": { "device": "synthetic" },
          "sip": { "bindAddress": "127.0.0.1", "port": 0, "user": "kiosk", "domain": "127.0.0.1" },
          "contactCenter": { "defaultTarget": "sip:agent@127.0.0.1:\(port)" } }
        """.utf8), file: "benchmark")
        config.logLevel = "error"
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        var samples: [Double] = []
        for _ in 0..<20 {
            let ua = SIPUserAgent(configuration: .init(bindHost: "127.0.0.1", bindPort: 0), logger: quiet)
            try await ua.start()
            let engine = CallEngine(config: config, userAgent: ua, logger: quiet)
            let start = MonotonicClock.nowNanos()
            _ = try await engine.placeCall(.init(category: "loans", language: "de"))
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var pfd = pollfd(fd: receiver, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 2000) == 1 else { fatal("no INVITE arrived") }
            let arrived = MonotonicClock.nowNanos()
            _ = recv(receiver, &buffer, buffer.count, 0)
            samples.append(Double(arrived - start) / 1e6)
            await engine.hangUp()
            await ua.stop()
            // Drain what else the abandoned call sent (retransmissions, CANCEL).
            while poll(&pfd, 1, 0) == 1 { _ = recv(receiver, &buffer, buffer.count, 0) }
        }
        close(receiver)
        samples.sort()
        print("place call → INVITE on the wire: median \(fmt(samples[samples.count / 2])) ms, max \(fmt(samples.last!)) ms over \(samples.count) calls (offer, SRTP keys, media sockets, context, transaction)")
    }
}

// The kiosk's reaction: button → INVITE, 200 OK → first RTP (through KioskFlow and the controller).
if options.runs("flow") {
    try await benchFlow(rounds: 20, ringMillis: 0)
    try await benchFlow(rounds: 20, ringMillis: 200)
}

// The daemon through a two-way 640x480 call with baresip as the agent: CPU and peak RSS.
if let kioskd = options.kioskd, options.runs("call") {
    benchCall(kioskd: kioskd, seconds: options.callSeconds, runs: options.callRuns, workDir: options.workDir)
}

// The fleet API under wrk's load during a two-way call: requests/s, latency, the kiosk's frame timing.
if let kioskd = options.kioskd, options.runs("fleet") {
    benchFleetLoad(kioskd: kioskd, seconds: options.fleetSeconds, runs: options.fleetRuns, workDir: options.workDir)
}

func fmt(_ v: Double) -> String {
    guard v.isFinite else { return "n/a" }
    let scaled = Int((v * 100).rounded())
    let frac = abs(scaled % 100)
    return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
}
