// The fleet API under load while a call is in progress: the release `kioskd run` with its `fleet`
// section (TLS with a self-signed certificate, a bearer token) in a two-way call with baresip (the
// call benchmark's TwoWayCall). The kiosk's video as it reaches the agent is timed from a packet capture
// on loopback: SRTP leaves the RTP header in clear, so the marker bit (a frame's last packet), the
// sequence number and the SSRC are read from it, and the kernel's receive timestamp of each packet says
// when it left kioskd (loopback delivers within the sender's send call). The frame send interval
// (p50/p99/max) is measured with the API idle, then while wrk (2 threads, 16 connections, keep-alive)
// loads GET /v1/status, then /metrics. Also measured per phase: kioskd's CPU, and per thread its CPU
// and the time it waited for a core (/proc/PID/task/TID/schedstat), the evidence when timing slips.
import Fleet
import Media
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One phase's figures.
struct FleetPhase {
    var name: String
    var frames: Int
    var intervals: [Double]   // ms, sorted
    var sequenceGaps: Int
    var kioskdCPUPercent: Double
    /// The whole machine's busy time over the phase and wrk's CPU, as % of one core.
    var machineBusyPercent: Double
    var wrkCPUPercent: Double
    var threads: [ThreadUse]
    var wrk: WrkResult?

    func quantile(_ q: Double) -> Double {
        intervals.isEmpty ? .nan : intervals[min(intervals.count - 1, Int(q * Double(intervals.count)))]
    }
}

/// What wrk printed: requests per second, latency percentiles (ms), and answers other than 2xx/3xx.
struct WrkResult {
    var requestsPerSecond: Double
    var p50: Double
    var p99: Double
    var requests: Int
    var non2xx: Int
    var socketErrors: String?

    init?(_ output: String) {
        func field(_ line: Substring) -> [Substring] { line.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
        var rps: Double?, p50: Double?, p99: Double?
        requests = 0
        non2xx = 0
        for line in output.split(separator: "\n") {
            let f = field(line)
            guard let first = f.first else { continue }
            if first == "Requests/sec:", f.count > 1 { rps = Double(f[1]) }
            if first == "50%", f.count > 1 { p50 = WrkResult.millis(f[1]) }
            if first == "99%", f.count > 1 { p99 = WrkResult.millis(f[1]) }
            if line.contains("requests in"), let n = Int(first) { requests = n }
            if line.contains("Non-2xx or 3xx responses:"), let n = f.last.flatMap({ Int($0) }) { non2xx = n }
            if line.contains("Socket errors:") { socketErrors = line.trimmingPrefix(while: { $0 == " " }).description }
        }
        guard let rps, let p50, let p99 else { return nil }
        requestsPerSecond = rps
        self.p50 = p50
        self.p99 = p99
    }

    /// wrk's durations: "812.00us", "2.31ms", "1.02s".
    static func millis(_ text: Substring) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}

/// A thread of kioskd over one phase: CPU it used and time it waited runnable for a core (ms).
struct ThreadUse {
    var tid: Int
    var name: String
    var cpuMillis: Double
    var waitMillis: Double
}

/// Per-thread name, CPU (ns, from schedstat) and run-queue wait (ns) of a process, by TID.
func threadSnapshot(_ pid: pid_t) -> [Int: (name: String, run: Double, wait: Double)] {
    var out: [Int: (name: String, run: Double, wait: Double)] = [:]
    guard let dir = opendir("/proc/\(pid)/task") else { return out }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let tid = Int(name) else { continue }
        let comm = readText("/proc/\(pid)/task/\(tid)/comm").trimmingSuffix(while: { $0 == "\n" })
        let sched = readText("/proc/\(pid)/task/\(tid)/schedstat").split(separator: " ").compactMap { Double($0.trimmingSuffix(while: { $0 == "\n" })) }
        guard sched.count >= 2 else { continue }
        out[tid] = (comm, sched[0], sched[1])
    }
    return out
}

extension StringProtocol {
    func trimmingSuffix(while drop: (Character) -> Bool) -> String {
        var s = String(self)
        while let last = s.last, drop(last) { s.removeLast() }
        return s
    }
}

// Linux socket options Glibc does not import as constants (SO_TIMESTAMPNS is a macro choosing by time_t).
private let soAttachFilter: Int32 = 26
private let soTimestampNS: Int32 = 35

/// An RTP packet seen on loopback: when (CLOCK_REALTIME ns, the kernel's timestamp), its stream and
/// header fields.
struct CapturedRTP {
    var nanos: Int64
    var ssrc: UInt32
    var sequence: UInt16
    var marker: Bool
    var payloadType: UInt8
}

/// Captures the UDP datagrams to 127.0.0.1 ports `low...high` (the agent's RTP ports) with a packet
/// socket (needs CAP_NET_RAW) and a kernel filter, so wrk's TCP traffic never wakes it; RTCP (RFC 5761
/// payload types 192...223 in the second byte) is left out.
final class LoopbackRTPCapture: Sendable {
    private let fd: Int32
    private let packets = Mutex<[CapturedRTP]>([])
    private let stopped = Atomic<Bool>(false)
    private let thread = Mutex<BlockingThread?>(nil)

    init?(low: Int, high: Int) {
        // AF_PACKET, SOCK_DGRAM (from the IP header on), ETH_P_IP: only received packets (outgoing ones
        // go to ETH_P_ALL sockets), so each loopback datagram is seen once.
        fd = socket(AF_PACKET, Int32(SOCK_DGRAM.rawValue), Int32(UInt16(0x0800).bigEndian))
        guard fd >= 0 else { return nil }
        // Classic BPF: IPv4, UDP, destination 127.0.0.1, destination port in low...high.
        struct SockFilter { var code: UInt16; var jt: UInt8; var jf: UInt8; var k: UInt32 }
        struct SockFprog { var len: UInt16; var filter: UnsafeMutablePointer<SockFilter>? }
        var program: [SockFilter] = [
            .init(code: 0x30, jt: 0, jf: 0, k: 9),                   // ldb [9]        (protocol)
            .init(code: 0x15, jt: 0, jf: 7, k: 17),                  // jeq #UDP
            .init(code: 0x20, jt: 0, jf: 0, k: 16),                  // ld [16]        (destination address)
            .init(code: 0x15, jt: 0, jf: 5, k: 0x7F00_0001),         // jeq #127.0.0.1
            .init(code: 0xB1, jt: 0, jf: 0, k: 0),                   // ldxb 4*([0]&0xf) (header length)
            .init(code: 0x48, jt: 0, jf: 0, k: 2),                   // ldh [x+2]      (destination port)
            .init(code: 0x35, jt: 0, jf: 2, k: UInt32(low)),         // jge #low
            .init(code: 0x25, jt: 1, jf: 0, k: UInt32(high)),        // jgt #high → drop
            .init(code: 0x06, jt: 0, jf: 0, k: 0xFFFF),              // ret #65535     (accept)
            .init(code: 0x06, jt: 0, jf: 0, k: 0),                   // ret #0         (drop)
        ]
        let attached = program.withUnsafeMutableBufferPointer { p -> Int32 in
            var fprog = SockFprog(len: UInt16(p.count), filter: p.baseAddress)
            return setsockopt(fd, SOL_SOCKET, soAttachFilter, &fprog, socklen_t(MemoryLayout<SockFprog>.size))
        }
        var on: Int32 = 1
        guard attached == 0, setsockopt(fd, SOL_SOCKET, soTimestampNS, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            close(fd)
            return nil
        }
        // What passed the filter before it was attached (any IP packet) goes.
        var junk = [UInt8](repeating: 0, count: 2048)
        while recv(fd, &junk, junk.count, Int32(MSG_DONTWAIT)) > 0 {}
    }

    func start() {
        let t = BlockingThread { [self] in run() }
        thread.withLock { $0 = t }
    }

    /// Stops the capture; returns what it saw.
    func stop() -> [CapturedRTP] {
        stopped.store(true, ordering: .relaxed)
        thread.withLock { $0?.join() }
        close(fd)
        return packets.withLock { $0 }
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var control = [UInt8](repeating: 0, count: 128)
        while !stopped.load(ordering: .relaxed) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) == 1 else { continue }
            let (n, stamp) = buffer.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { cmsg -> (Int, Int64) in
                    var iov = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &iov) { iovp in
                        var msg = msghdr()
                        msg.msg_iov = iovp
                        msg.msg_iovlen = 1
                        msg.msg_control = cmsg.baseAddress
                        msg.msg_controllen = cmsg.count
                        let n = recvmsg(fd, &msg, 0)
                        // cmsghdr: length (size_t), level, type (Int32 each), then the timespec.
                        var stamp: Int64 = 0
                        var offset = 0
                        while n > 0, offset + 16 <= Int(msg.msg_controllen) {
                            let length = cmsg.loadUnaligned(fromByteOffset: offset, as: Int.self)
                            let level = cmsg.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self)
                            let type = cmsg.loadUnaligned(fromByteOffset: offset + 12, as: Int32.self)
                            if level == SOL_SOCKET, type == soTimestampNS, length >= 16 + 16 {
                                let ts = cmsg.loadUnaligned(fromByteOffset: offset + 16, as: timespec.self)
                                stamp = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
                            }
                            guard length > 0 else { break }
                            offset += (length + 7) & ~7
                        }
                        return (n, stamp)
                    }
                }
            }
            guard n > 28 else { continue }
            let ihl = Int(buffer[0] & 0x0F) * 4
            let rtp = ihl + 8
            guard n >= rtp + 12, buffer[rtp] >> 6 == 2, !(192...223).contains(buffer[rtp + 1]) else { continue }
            let packet = CapturedRTP(
                nanos: stamp != 0 ? stamp : realtimeNanos(),
                ssrc: UInt32(buffer[rtp + 8]) << 24 | UInt32(buffer[rtp + 9]) << 16 | UInt32(buffer[rtp + 10]) << 8 | UInt32(buffer[rtp + 11]),
                sequence: UInt16(buffer[rtp + 2]) << 8 | UInt16(buffer[rtp + 3]),
                marker: buffer[rtp + 1] & 0x80 != 0,
                payloadType: buffer[rtp + 1] & 0x7F)
            packets.withLock { $0.append(packet) }
        }
    }
}

func realtimeNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

extension BenchProcess {
    /// Waits for the process to end on its own; its exit status (-1: killed by a signal).
    @discardableResult
    func waitForExit() -> Int32 { waitForExitMeasured().status }

    /// Waits for the process to end; its exit status and the CPU it used (user + system, ms).
    func waitForExitMeasured() -> (status: Int32, cpuMillis: Double) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let millis = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
        return ((status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1, millis)
    }
}

/// The machine's busy and total CPU time so far (/proc/stat's first line, in clock ticks).
func machineCPUTicks() -> (busy: Double, total: Double) {
    let fields = readText("/proc/stat").prefix { $0 != "\n" }.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard fields.count >= 5 else { return (0, 0) }
    let idle = fields[3] + fields[4]  // idle + iowait
    let total = fields.prefix(8).reduce(0, +)
    return (total - idle, total)
}

/// Runs `runs` calls; in each, the three phases of `seconds` each. Prints each phase and a summary.
func benchFleetLoad(kioskd: String, seconds: Int, runs: Int, workDir: String) {
    guard let resolved = realpath(kioskd, nil) else { fatal("no kioskd at \(kioskd)") }
    let kioskd = String(cString: resolved)
    free(resolved)
    guard access("/usr/bin/wrk", X_OK) == 0 else { fatal("fleet load: wrk is missing (scripts/deps.sh installs it)") }
    print("fleet API under load during a two-way 640x480 call: wrk 2 threads, 16 connections, keep-alive, TLS, \(seconds) s per phase; the kiosk's video frame send interval from a loopback capture")
    var all: [[FleetPhase]] = []
    for run in 1...runs {
        guard let phases = oneFleetLoadRun(kioskd: kioskd, seconds: seconds, dir: "\(workDir)/fleet-\(run)") else {
            fatal("the fleet load benchmark failed (logs in \(workDir)/fleet-\(run))")
        }
        for phase in phases { print("fleet run \(run): \(describe(phase))") }
        all.append(phases)
    }
    // The verdict: each loaded phase's interval p99 against its own run's idle p99.
    let differences = all.map { phases in phases.dropFirst().map { $0.quantile(0.99) - phases[0].quantile(0.99) } }
    let met = differences.filter { $0.allSatisfy { $0 <= 5 } }.count
    let listed = differences.map { "[" + $0.map { ($0 >= 0 ? "+" : "") + fmt($0) }.joined(separator: ", ") + "]" }.joined(separator: " ")
    print("fleet load, \(runs) run(s): frame interval p99 under load minus idle (ms; /v1/status, /metrics per run): \(listed); within 5 ms of idle in \(met) of \(runs) run(s)")
}

private func describe(_ phase: FleetPhase) -> String {
    var line = phase.name
    if let wrk = phase.wrk {
        line += ": \(Int(wrk.requestsPerSecond)) requests/s, latency p50 \(fmt(wrk.p50)) ms p99 \(fmt(wrk.p99)) ms (\(wrk.requests) requests\(wrk.non2xx > 0 ? ", \(wrk.non2xx) not 2xx" : "")\(wrk.socketErrors.map { ", \($0)" } ?? ""))"
    }
    line += "; video \(phase.frames) frames, interval p50 \(fmt(phase.quantile(0.5))) p99 \(fmt(phase.quantile(0.99))) max \(fmt(phase.intervals.last ?? .nan)) ms"
    if phase.sequenceGaps > 0 { line += ", \(phase.sequenceGaps) sequence gaps" }
    let others = phase.machineBusyPercent - phase.kioskdCPUPercent - phase.wrkCPUPercent
    line += "; CPU (% of one core, \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores): kioskd \(fmt(phase.kioskdCPUPercent)), wrk \(fmt(phase.wrkCPUPercent)), everything else \(fmt(others)); kioskd's busiest threads (CPU/waited runnable for a core, ms): "
    line += phase.threads.prefix(5).map { "\($0.name)[\($0.tid)] \(Int($0.cpuMillis))/\(Int($0.waitMillis))" }.joined(separator: ", ")
    return line
}

private func oneFleetLoadRun(kioskd: String, seconds: Int, dir: String) -> [FleetPhase]? {
    mkdir(dir, 0o755)
    // A self-signed certificate for 127.0.0.1 and a random token, stored hashed as FleetTokens expects.
    let openssl = BenchProcess(["/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                "-keyout", "\(dir)/fleet.key", "-out", "\(dir)/fleet.crt", "-days", "1", "-subj", "/CN=kiosk-bench",
                                "-addext", "subjectAltName=IP:127.0.0.1"], dir: dir, logPath: "\(dir)/openssl.log", pipeStdin: false)
    guard openssl.waitForExit() == 0 else { print("openssl failed: \(openssl.log)"); return nil }
    var rng = SystemRandomNumberGenerator()
    let token = (0..<4).map { _ in String(rng.next() as UInt64, radix: 16) }.joined()
    let apiPort = freePort(Int32(SOCK_STREAM.rawValue))
    let fleet = """
    "fleet": { "address": "127.0.0.1", "port": \(apiPort), "certificate": "\(dir)/fleet.crt", "key": "\(dir)/fleet.key",
               "tokens": { "bench": "\(FleetTokens.hash(token))" } }
    """
    guard var call = TwoWayCall.start(kioskd: kioskd, seconds: 3 * seconds + 10, dir: dir, extraConfig: fleet) else { return nil }
    guard call.daemon.waitFor("fleet: API listening", seconds: 5) else { _ = call.fail("the fleet API did not start"); return nil }
    guard let capture = LoopbackRTPCapture(low: call.rtpBase, high: call.rtpBase + 3) else {
        _ = call.fail("no packet capture (a packet socket needs CAP_NET_RAW): \(String(cString: strerror(errno)))")
        return nil
    }
    capture.start()
    usleep(500_000)

    var windows: [(name: String, from: Int64, to: Int64, cpuPercent: Double, machine: Double, wrkCPU: Double, threads: [ThreadUse],
                   wrk: WrkResult?)] = []
    for route in [nil, "/v1/status", "/metrics"] {
        let before = threadSnapshot(call.daemon.pid), cpuBefore = call.daemon.cpuMillis, machineBefore = machineCPUTicks()
        let from = realtimeNanos(), wallFrom = MonotonicClock.nowNanos()
        var wrk: WrkResult?
        var wrkMillis = 0.0
        if let route {
            let name = route.replacingAll("/", with: "_")
            let load = BenchProcess(["/usr/bin/wrk", "-t2", "-c16", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer \(token)",
                                     "https://127.0.0.1:\(apiPort)\(route)"], dir: dir, logPath: "\(dir)/wrk\(name).log", pipeStdin: false)
            let (status, millis) = load.waitForExitMeasured()
            wrkMillis = millis
            guard status == 0, let result = WrkResult(load.log), result.requests > 0, result.non2xx == 0 else {
                _ = capture.stop()
                _ = call.fail("wrk on \(route) failed (exit \(status)): \(load.log)")
                return nil
            }
            wrk = result
        } else {
            usleep(UInt32(seconds) * 1_000_000)
        }
        let to = realtimeNanos(), wall = Double(MonotonicClock.nowNanos() - wallFrom) / 1e6
        let cpu = (call.daemon.cpuMillis - cpuBefore) / wall * 100
        let machineAfter = machineCPUTicks()
        // Busy share of all cores, scaled to % of one core like the other figures.
        let machine = (machineAfter.busy - machineBefore.busy) / max(1, machineAfter.total - machineBefore.total) * 100
            * Double(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let after = threadSnapshot(call.daemon.pid)
        let threads = after.map { entry -> ThreadUse in
            let (tid, a) = (entry.key, entry.value)
            let run = before[tid]?.run ?? 0, waited = before[tid]?.wait ?? 0
            return ThreadUse(tid: tid, name: a.name, cpuMillis: (a.run - run) / 1e6, waitMillis: (a.wait - waited) / 1e6)
        }.sorted { $0.cpuMillis > $1.cpuMillis }
        windows.append((route.map { "GET \($0)" } ?? "API idle", from, to, cpu, machine, wrkMillis / wall * 100, threads, wrk))
    }
    let packets = capture.stop()
    guard call.finish(seconds: 3 * seconds) != nil else { return nil }

    // The kiosk's video: of the streams to the agent, the one with the most frame ends (Opus marks only
    // a talk spurt's first packet).
    var markers: [UInt32: Int] = [:]
    for p in packets where p.marker { markers[p.ssrc, default: 0] += 1 }
    guard let video = markers.max(by: { $0.value < $1.value })?.key else { print("fleet load: no video captured"); return nil }
    return windows.map { w in
        let stream = packets.filter { $0.ssrc == video && $0.nanos >= w.from && $0.nanos < w.to }
        // A frame's end counts once: a retransmission (NACK) repeats its sequence number.
        var seen = Set<UInt16>()
        let ends = stream.filter { $0.marker && seen.insert($0.sequence).inserted }.map(\.nanos)
        let intervals = zip(ends, ends.dropFirst()).map { Double($1 - $0) / 1e6 }.sorted()
        let gaps = zip(stream, stream.dropFirst()).filter { $1.sequence != $0.sequence &+ 1 }.count
        return FleetPhase(name: w.name, frames: ends.count, intervals: intervals, sequenceGaps: gaps, kioskdCPUPercent: w.cpuPercent,
                          machineBusyPercent: w.machine, wrkCPUPercent: w.wrkCPU, threads: w.threads, wrk: w.wrk)
    }
}
