import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket for sending media: the RTP send path needs nothing more than `send`, and a blocking
/// socket on the pipeline's own thread keeps per-packet cost at one system call.
///
/// Two kinds: a socket of its own connected to the destination (`init(host:port:)`, the test stream's
/// ephemeral port), or a destination on a call's `UDPEndpoint` (`init(endpoint:host:port:)`), which sends
/// from the port the call's SDP named (symmetric RTP, RFC 4961) and leaves receiving to the endpoint.
public final class UDPSocket: @unchecked Sendable {
    public enum SocketError: Error, Equatable, CustomStringConvertible {
        case resolve(host: String, port: Int, reason: String)
        case system(call: String, reason: String)
        /// The local port is taken (bind: EADDRINUSE).
        case addressInUse(host: String, port: Int)
        /// The peer's address family cannot be reached from the local socket (IPv6 peer, IPv4 socket).
        case familyMismatch(host: String, local: String)
        public var description: String {
            switch self {
            case let .resolve(host, port, reason): return "cannot resolve \(host):\(port): \(reason)"
            case let .system(call, reason): return "UDP \(call) failed: \(reason)"
            case let .addressInUse(host, port): return "UDP port \(UDPAddress.text(host: host, port: port)) is in use"
            case let .familyMismatch(host, local): return "cannot send to \(host) from a socket bound to \(local) (IPv4/IPv6 mismatch)"
            }
        }
    }

    private enum Route {
        /// A socket of its own, connected to the destination; closed with this object.
        case connected(fd: Int32)
        /// A call's bound socket, sending with sendto; the endpoint owns the descriptor.
        case endpoint(UDPEndpoint, UDPAddress)
    }

    private let route: Route
    public let destination: String
    /// Packets the kernel refused (e.g. ICMP port unreachable from the peer); counted, never fatal.
    public private(set) var sendErrors = 0

    public init(host: String, port: Int) throws(SocketError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            throw .resolve(host: host, port: port, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(result) }
        let s = socket(info.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else { throw .system(call: "socket", reason: String(cString: strerror(errno))) }
        guard connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(s)
            throw .system(call: "connect", reason: reason)
        }
        route = .connected(fd: s)
        destination = UDPAddress.text(host: host, port: port)
    }

    /// Sends to `host`:`port` from a call's bound endpoint (which keeps its descriptor and its receiving).
    public init(endpoint: UDPEndpoint, host: String, port: Int) throws(SocketError) {
        let address = try UDPAddress(host: host, port: port, family: endpoint.family)
        route = .endpoint(endpoint, address)
        destination = address.description
    }

    deinit {
        if case let .connected(fd) = route { Glibc.close(fd) }
    }

    public func send(_ bytes: [UInt8]) {
        switch route {
        case let .connected(fd):
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { sendErrors += 1 }
        case let .endpoint(endpoint, address):
            if !endpoint.send(bytes, to: address) { sendErrors += 1 }
        }
    }
}

/// A resolved UDP address (the bytes of a `sockaddr_in` or `sockaddr_in6`) for `sendto`.
public struct UDPAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    let family: Int32
    let sockaddrBytes: [UInt8]

    /// Resolves `host` (a literal or a name) for a socket of `family`. An IPv6 socket reaches IPv4
    /// peers through v4-mapped addresses (`::ffff:a.b.c.d`); an IPv4 socket cannot reach IPv6 peers.
    init(host: String, port: Int, family: Int32) throws(UDPSocket.SocketError) {
        guard (1...65_535).contains(port) else { throw .resolve(host: host, port: port, reason: "port out of range") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, result != nil else {
            throw .resolve(host: host, port: port, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(result) }
        var same: [UInt8]?
        var ipv4: sockaddr_in?
        var entry = result
        while let info = entry {
            if info.pointee.ai_family == family, same == nil {
                same = Array(UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen)))
            }
            if info.pointee.ai_family == AF_INET, ipv4 == nil {
                ipv4 = UnsafeRawPointer(info.pointee.ai_addr).loadUnaligned(as: sockaddr_in.self)
            }
            entry = info.pointee.ai_next
        }
        if let same {
            sockaddrBytes = same
        } else if family == AF_INET6, let v4 = ipv4 {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = v4.sin_port
            withUnsafeMutableBytes(of: &v6.sin6_addr) { raw in
                raw[10] = 0xFF
                raw[11] = 0xFF
                withUnsafeBytes(of: v4.sin_addr) { a in for i in 0..<4 { raw[12 + i] = a[i] } }
            }
            sockaddrBytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            throw .familyMismatch(host: host, local: family == AF_INET ? "IPv4" : "IPv6")
        }
        self.host = host
        self.port = port
        self.family = family
    }

    public var description: String { Self.text(host: host, port: port) }

    static func text(host: String, port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A UDP socket bound to a local port and not connected: a call's media socket, bound before the SDP
/// offer names its port. It receives from any sender (SRTP authenticates what matters; a peer behind a
/// NAT may send from elsewhere) and sends with `sendto`, so what the kiosk sends leaves from the port its
/// SDP named. `close()` is for the owner once no thread uses the socket any more; deinit closes too.
public final class UDPEndpoint: Sendable {
    let fd: Int32
    /// AF_INET or AF_INET6.
    public let family: Int32
    public let localHost: String
    public let localPort: Int
    private let closed = Atomic<Bool>(false)

    /// Binds `host`:`port` (port 0: an ephemeral port). A taken port throws `.addressInUse`.
    public init(host: String, port: Int) throws(UDPSocket.SocketError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            throw .resolve(host: host, port: port, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(result) }
        let family = info.pointee.ai_family
        let s = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .system(call: "socket", reason: String(cString: strerror(errno))) }
        if family == AF_INET6 {
            // "::" takes IPv4 peers too, whatever the system's bindv6only default.
            var off: Int32 = 0
            _ = setsockopt(s, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
        }
        // Room for a burst of video packets (a key frame) while the receive thread is busy; the kernel
        // caps it at net.core.rmem_max.
        var buffer: Int32 = 1 << 20
        _ = setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        guard bind(s, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(s)
            if code == EADDRINUSE { throw .addressInUse(host: host, port: port) }
            throw .system(call: "bind \(UDPAddress.text(host: host, port: port))", reason: String(cString: strerror(code)))
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        guard named == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(s)
            throw .system(call: "getsockname", reason: reason)
        }
        let boundPort: UInt16 = withUnsafeBytes(of: &bound) { raw in
            // sin_port and sin6_port both sit at offset 2, in network byte order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        fd = s
        self.family = family
        localHost = host
        localPort = Int(boundPort)
    }

    deinit { close() }

    /// Closes the socket; later sends and receives do nothing. Call once no thread uses it.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Glibc.close(fd)
    }

    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Sends one datagram; false when the kernel refused it.
    func send(_ bytes: [UInt8], to address: UDPAddress) -> Bool {
        guard !isClosed else { return false }
        let n = bytes.withUnsafeBytes { payload in
            address.sockaddrBytes.withUnsafeBytes { raw in
                sendto(fd, payload.baseAddress, payload.count, 0,
                       raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        }
        return n >= 0
    }

    /// The next queued datagram, without waiting; nil when none is queued. `buffer` is scratch space
    /// (64 KiB holds any datagram).
    func receive(into buffer: inout [UInt8]) -> [UInt8]? {
        guard !isClosed else { return nil }
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n >= 0 { return Array(buffer[0..<n]) }
            if errno == EINTR { continue }
            // EAGAIN: nothing queued. Anything else (an ICMP error reported on the socket) is dropped too.
            return nil
        }
    }

    /// Waits at most `timeoutMillis` until one of `endpoints` has a datagram; which ones do.
    static func waitReadable(_ endpoints: [UDPEndpoint], timeoutMillis: Int32) -> [Bool] {
        var fds = endpoints.map { pollfd(fd: $0.isClosed ? -1 : $0.fd, events: Int16(POLLIN), revents: 0) }
        let n = poll(&fds, nfds_t(fds.count), timeoutMillis)
        guard n > 0 else { return Array(repeating: false, count: endpoints.count) }
        return fds.map { $0.revents & Int16(POLLIN | POLLERR) != 0 }
    }
}
