/// One assignment of the notify protocol (sd_notify(3)); several go in one datagram, a line each.
public enum SystemdNotification: Sendable, Hashable {
    /// Startup is finished (Type=notify leaves "activating").
    case ready
    /// The service is reloading its configuration; `READY=1` follows when done.
    case reloading
    /// The service is shutting down on purpose.
    case stopping
    /// The watchdog keep-alive.
    case watchdog
    /// A short free-form state for `systemctl status`; newlines become spaces (a line ends the value).
    case status(String)
    /// Why the service failed, as an errno number.
    case errno(Int32)
    /// CLOCK_MONOTONIC in microseconds, which systemd 253+ wants beside `RELOADING=1`.
    case monotonicUSec(UInt64)
    /// Asks for more time for the current startup, reload or stop step.
    case extendTimeoutUSec(UInt64)

    public var line: String {
        switch self {
        case .ready: return "READY=1"
        case .reloading: return "RELOADING=1"
        case .stopping: return "STOPPING=1"
        case .watchdog: return "WATCHDOG=1"
        case let .status(text):
            return "STATUS=" + String(text.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
        case let .errno(number): return "ERRNO=\(number)"
        case let .monotonicUSec(usec): return "MONOTONIC_USEC=\(usec)"
        case let .extendTimeoutUSec(usec): return "EXTEND_TIMEOUT_USEC=\(usec)"
        }
    }

    /// The datagram for several assignments.
    public static func message(_ notifications: [SystemdNotification]) -> String {
        notifications.map(\.line).joined(separator: "\n")
    }
}
