import Foundation

/// A UDP relay on loopback that damages the path the way a bad network does: it drops a fraction of the
/// datagrams and delays each by a random time up to `jitterMillis` (so they also arrive out of order),
/// both from a seeded generator so a run repeats. This machine's kernel has no netem qdisc; the relay
/// stands in for it on the test's own path.
///
/// Side A faces the sender (which is told A's port as the peer's), side B faces the receiver: what
/// arrives on A goes out of B to `receiver`; what arrives on B (the receiver's RTCP, NACK, PLI) goes out
/// of A to whoever last sent to A.
final class ImpairingRelay: @unchecked Sendable {
    struct Counts: Sendable {
        var forwarded = 0
        var dropped = 0
        var reversed = 0
        var reverseDropped = 0
        var corrupted = 0
    }

    let portA: Int
    let portB: Int
    private let fdA: Int32
    private let fdB: Int32
    private let receiver: sockaddr_in
    private let lossFraction: Double
    private let jitterMillis: Double
    /// Also damage the receiver's way back (its feedback is lost too on a real bad network).
    private let impairReverse: Bool
    /// The fraction of forwarded datagrams whose payload gets bytes overwritten (after the first
    /// `corruptFrom` bytes, which keeps RTP and payload headers intact): a sender gone bad, on plain RTP.
    private let corruptFraction: Double
    private let corruptFrom: Int
    private let lock = NSLock()
    private var rng: SplitMix64Relay
    private var sender: sockaddr_in?
    private var pending: [(due: Double, toB: Bool, bytes: [UInt8])] = []
    private var counts = Counts()
    private var running = true
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(receiverPort: Int, lossFraction: Double, jitterMillis: Double, seed: UInt64, impairReverse: Bool = true,
         corruptFraction: Double = 0, corruptFrom: Int = 16) throws {
        self.corruptFraction = corruptFraction
        self.corruptFrom = corruptFrom
        fdA = try Self.bindLoopback()
        fdB = try Self.bindLoopback()
        portA = Self.port(of: fdA)
        portB = Self.port(of: fdB)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(receiverPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        receiver = address
        self.lossFraction = lossFraction
        self.jitterMillis = jitterMillis
        self.impairReverse = impairReverse
        rng = SplitMix64Relay(seed: seed)
        let thread = Thread { [self] in run() }
        thread.name = "impairing-relay"
        self.thread = thread
        thread.start()
    }

    deinit { stop() }

    var statistics: Counts { lock.withLock { counts } }

    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { running = false }
            return running
        }
        guard wasRunning else { return }
        done.wait()
        close(fdA)
        close(fdB)
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let start = Date()
        while lock.withLock({ running }) {
            let now = Date().timeIntervalSince(start) * 1000
            // Send what is due.
            let due = lock.withLock { () -> [(Bool, [UInt8])] in
                let ready = pending.filter { $0.due <= now }
                pending.removeAll { $0.due <= now }
                return ready.map { ($0.toB, $0.bytes) }
            }
            for (toB, bytes) in due {
                if toB {
                    var to = receiver
                    sendTo(fdB, bytes, &to)
                } else if var to = lock.withLock({ sender }) {
                    sendTo(fdA, bytes, &to)
                }
            }
            var fds = [pollfd(fd: fdA, events: Int16(POLLIN), revents: 0), pollfd(fd: fdB, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 1) > 0 else { continue }
            for (index, pfd) in fds.enumerated() where pfd.revents & Int16(POLLIN) != 0 {
                while true {
                    var from = sockaddr_in()
                    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                    let n = buffer.withUnsafeMutableBytes { raw in
                        withUnsafeMutablePointer(to: &from) {
                            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                                recvfrom(pfd.fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length)
                            }
                        }
                    }
                    if n <= 0 { break }
                    var bytes = Array(buffer[0..<n])
                    let forward = index == 0
                    lock.withLock {
                        if forward { sender = from }
                        let damage = forward || impairReverse
                        let lost = damage && rng.unit() < lossFraction
                        if lost {
                            if forward { counts.dropped += 1 } else { counts.reverseDropped += 1 }
                            return
                        }
                        if forward { counts.forwarded += 1 } else { counts.reversed += 1 }
                        if forward, corruptFraction > 0, bytes.count > corruptFrom + 8, rng.unit() < corruptFraction {
                            for _ in 0..<8 { bytes[corruptFrom + Int(rng.next() % UInt64(bytes.count - corruptFrom))] = UInt8(truncatingIfNeeded: rng.next()) }
                            counts.corrupted += 1
                        }
                        let delay = damage ? rng.unit() * jitterMillis : 0
                        pending.append((now + delay, forward, bytes))
                    }
                }
            }
        }
        done.signal()
    }

    private func sendTo(_ fd: Int32, _ bytes: [UInt8], _ to: inout sockaddr_in) {
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &to) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    private static func bindLoopback() throws -> Int32 {
        let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var size: Int32 = 4 << 20
        _ = setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(s)
            throw TestSetupError("bind: \(String(cString: strerror(errno)))")
        }
        return s
    }

    private static func port(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The relay's own seeded generator (SplitMix64), uniform in [0, 1).
struct SplitMix64Relay {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
