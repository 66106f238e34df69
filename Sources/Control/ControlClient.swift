#if canImport(Glibc)
import Glibc
#endif

/// Why kioskctl could not talk to the daemon; each says what a technician can do about it.
public enum ControlClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No socket at the path, or nothing listening on it.
    case notRunning(path: String, reason: String)
    /// The socket is there but this user may not open it (mode 0660, group of the technicians).
    case permissionDenied(path: String)
    /// Any other failure to connect, send or read.
    case io(path: String, reason: String)
    /// The daemon closed the connection or answered something that is not a reply.
    case protocolError(String)
    case timedOut(path: String, seconds: Double)
    /// The daemon closed the connection before its last reply (it is stopping or restarting).
    case closed(path: String)

    public var description: String {
        switch self {
        case let .notRunning(path, reason):
            return "kioskd is not running or not listening on \(path) (\(reason)); check `systemctl status kioskd`"
        case let .permissionDenied(path):
            return "permission denied on \(path): ask for the kioskd group (or run as a member of the socket's group)"
        case let .io(path, reason):
            return "cannot talk to kioskd on \(path): \(reason)"
        case let .protocolError(why):
            return "kioskd's reply cannot be read: \(why)"
        case let .timedOut(path, seconds):
            return "kioskd on \(path) did not answer within \(Int(seconds)) s"
        case let .closed(path):
            return "kioskd closed the connection on \(path) (it is stopping or restarting)"
        }
    }
}

/// A connection to the daemon's control socket: one request at a time, its replies read line by line.
/// Blocking (kioskctl does one thing and exits); the socket closes when the client is released.
public final class ControlClient {
    public let path: String
    private let fd: Int32
    private var buffer = ControlLineBuffer()
    private var ready: [ControlLineBuffer.Item] = []
    private var nextID = 1

    public init(path: String) throws(ControlClientError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw .io(path: path, reason: "the socket path is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result != 0 {
            let code = errno
            close(fd)
            switch code {
            case EACCES, EPERM: throw .permissionDenied(path: path)
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .notRunning(path: path, reason: String(cString: strerror(code)))
            default: throw .io(path: path, reason: String(cString: strerror(code)))
            }
        }
    }

    deinit { close(fd) }

    /// Sends a command and returns its final reply; `each` sees the replies of a stream before it.
    /// `timeout` nil waits as long as the daemon keeps the request open (`logs --follow`).
    public func send(_ command: ControlCommand, _ args: ControlValue = .object([]), timeout: Double? = 30,
                     each: (ControlValue) -> Void = { _ in }) throws(ControlClientError) -> ControlResponse {
        let request = ControlRequest(id: nextID, command: command, args: args)
        nextID += 1
        try sendRaw(request.line)
        while true {
            let response = try readResponse(timeout: timeout)
            guard response.id == request.id || response.id == nil else { continue }
            if response.more, case let .result(value) = response.outcome {
                each(value)
                continue
            }
            return response
        }
    }

    /// Writes text as it is (tests send malformed lines through this).
    public func sendRaw(_ text: String) throws(ControlClientError) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The next reply line, whatever its id.
    public func readResponse(timeout: Double?) throws(ControlClientError) -> ControlResponse {
        while ready.isEmpty {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let millis = timeout.map { Int32(min($0 * 1000, Double(Int32.max))) } ?? -1
            let n = poll(&poller, 1, millis)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { throw .timedOut(path: path, seconds: timeout ?? 0) }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { throw .closed(path: path) }
            ready += buffer.append(chunk[0..<got])
        }
        switch ready.removeFirst() {
        case .tooLong: throw .protocolError("a reply longer than \(ControlProtocol.maximumLineBytes) bytes")
        case let .line(line):
            do { return try ControlResponse(parsing: line) } catch { throw .protocolError("\(error)") }
        }
    }
}
