#if canImport(Glibc)
import Glibc
#endif

/// A connected UDP socket for sending media: the RTP send path needs nothing more than `send`, and a
/// blocking socket on the pipeline's own thread keeps per-packet cost at one system call.
public final class UDPSocket: @unchecked Sendable {
    public enum SocketError: Error, CustomStringConvertible {
        case resolve(host: String, port: Int, reason: String)
        case system(call: String, reason: String)
        public var description: String {
            switch self {
            case let .resolve(host, port, reason): return "cannot resolve \(host):\(port): \(reason)"
            case let .system(call, reason): return "UDP \(call) failed: \(reason)"
            }
        }
    }

    private let fd: Int32
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
        fd = s
        destination = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    deinit { Glibc.close(fd) }

    public func send(_ bytes: [UInt8]) {
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { sendErrors += 1 }
    }
}
