#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notify protocol (sd_notify(3)) itself, without libsystemd: each notification is
/// one AF_UNIX datagram to `$NOTIFY_SOCKET`. Not under systemd (no socket) every call returns at once.
public struct SystemdNotifier: Sendable {
    /// Where the datagrams go; nil when not run by systemd (or `$NOTIFY_SOCKET` was unusable).
    public let socket: NotifySocketAddress?
    /// The armed watchdog, if `$WATCHDOG_USEC` was set for this process.
    public let watchdog: SystemdWatchdog?
    /// What in the environment could not be used (for the log).
    public let problems: [SystemdEnvironmentProblem]

    public init(socket: NotifySocketAddress?, watchdog: SystemdWatchdog? = nil) {
        self.socket = socket
        self.watchdog = watchdog
        problems = []
    }

    /// From the variables systemd sets (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`); `processID` is
    /// the process they must name.
    public init(environment: [String: String], processID: pid_t) {
        var problems: [SystemdEnvironmentProblem] = []
        var socket: NotifySocketAddress?
        if let value = environment["NOTIFY_SOCKET"] {
            do { socket = try NotifySocketAddress(value) } catch { problems.append(error) }
        }
        var watchdog: SystemdWatchdog?
        switch SystemdWatchdog.parse(watchdogUSec: environment["WATCHDOG_USEC"], watchdogPID: environment["WATCHDOG_PID"],
                                     processID: processID) {
        case let .success(found): watchdog = found
        case let .failure(problem): problems.append(problem)
        }
        self.socket = socket
        self.watchdog = watchdog
        self.problems = problems
    }

    /// The notifier this process's own environment describes.
    public static func fromProcessEnvironment() -> SystemdNotifier {
        var environment: [String: String] = [:]
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return SystemdNotifier(environment: environment, processID: getpid())
    }

    /// Whether notifications go anywhere.
    public var isActive: Bool { socket != nil }

    /// Sends the notifications in one datagram; nothing when not under systemd.
    public func send(_ notifications: SystemdNotification...) throws(SystemdNotifyError) {
        try send(notifications)
    }

    public func send(_ notifications: [SystemdNotification]) throws(SystemdNotifyError) {
        guard let socket, !notifications.isEmpty else { return }
        try Self.sendDatagram(Array(SystemdNotification.message(notifications).utf8), to: socket)
    }

    /// `RELOADING=1` with the `MONOTONIC_USEC=` that newer systemd (Type=notify-reload) asks for.
    public func reloading() throws(SystemdNotifyError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        try send(.reloading, .monotonicUSec(UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000))
    }

    /// A fresh socket per datagram, as libsystemd does: no descriptor to keep, and notifications are rare.
    /// The kernel attaches our credentials because systemd's socket has SO_PASSCRED (NotifyAccess=main).
    static func sendDatagram(_ payload: [UInt8], to socket: NotifySocketAddress) throws(SystemdNotifyError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name = Array(socket.name.utf8)
        // An abstract name starts with a NUL and has no terminator: its length says where it ends.
        let prefix = socket.kind == .abstract ? 1 : 0
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (i, byte) in name.enumerated() { path[prefix + i] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = pathOffset + prefix + name.count + (socket.kind == .path ? 1 : 0)

        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemdNotifyError(operation: "socket", errno: errno) }
        defer { close(fd) }
        while true {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    sendto(fd, payload, payload.count, Int32(MSG_NOSIGNAL), sockaddrPointer, socklen_t(length))
                }
            }
            if sent == payload.count { return }
            if sent < 0 && errno == EINTR { continue }
            throw SystemdNotifyError(operation: "sendto \(socket)", errno: sent < 0 ? errno : EMSGSIZE)
        }
    }
}

/// A notification that could not be sent.
public struct SystemdNotifyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
