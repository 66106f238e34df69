// kiosk-bench: CPU per frame of the send pipeline (synthetic source → VP8 → RTP packets) against
// `vpxenc --rt` with the same encoder settings on the same frames, in one run; and peak RSS of the real
// streaming process (`kioskd stream`) against vpxenc's.
//
//   swift run -c release kiosk-bench [--frames 300] [--cpu-used -6] [--kioskd PATH]
import Media
import RTP
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var frames = 300
    var cpuUsed = -6
    var sizes = [FrameSize(width: 1280, height: 720), FrameSize(width: 640, height: 480)]
    var kioskd: String?
    var workDir = "/tmp/kiosk-bench-\(getpid())"

    init(_ args: [String]) {
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--frames": frames = Int(value) ?? frames; i += 1
            case "--cpu-used": cpuUsed = Int(value) ?? cpuUsed; i += 1
            case "--kioskd": kioskd = value; i += 1
            case "--sizes": sizes = value.split(separator: ",").compactMap { FrameSize(parsing: String($0)) }; i += 1
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
        "--fps=30/1", "--limit=\(options.frames)", "-o", "\(options.workDir)/vpxenc-\(size).ivf", yuv,
    ], workDir: options.workDir)
    guard vpx.status == 0 else { fatal("vpxenc failed with status \(vpx.status)") }
    let vpxMillis = vpx.cpuMillis / Double(options.frames)
    print("\(size): pipeline \(fmt(pipelineMillis)) ms/frame (of which source \(fmt(sourceMillis)) ms), vpxenc \(fmt(vpxMillis)) ms/frame, ratio \(fmt(pipelineMillis / vpxMillis)); \(packets) RTP packets, \(bytes / 1024) KiB; vpxenc peak RSS \(fmt(vpx.peakRSSMB)) MB")
    unlink(yuv)
}

if let kioskd = options.kioskd {
    // The real streaming process at 720p, sending to a loopback port nobody reads.
    let r = runMeasured([kioskd, "stream", "--to", "127.0.0.1:39990", "--camera", "synthetic", "--size", "1280x720",
                         "--fps", "30", "--frames", "\(options.frames)", "--microphone", "tone:440", "--bitrate", "2000"], workDir: options.workDir)
    print("kioskd stream 1280x720: peak RSS \(fmt(r.peakRSSMB)) MB, CPU \(fmt(r.cpuMillis / Double(options.frames))) ms/frame incl. audio (exit \(r.status))")
}

func fmt(_ v: Double) -> String {
    let scaled = Int((v * 100).rounded())
    let frac = abs(scaled % 100)
    return "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
}
