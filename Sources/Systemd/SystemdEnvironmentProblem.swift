/// Something in the environment systemd gave the service that cannot be used; the daemon logs it and
/// carries on without that part (as sd_notify and sd_watchdog_enabled return an error and do nothing).
public enum SystemdEnvironmentProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case badNotifySocket(String, String)
    case badWatchdogUSec(String)
    case badWatchdogPID(String)

    public var description: String {
        switch self {
        case let .badNotifySocket(value, why): return "NOTIFY_SOCKET=\(value) cannot be used: \(why)"
        case let .badWatchdogUSec(value): return "WATCHDOG_USEC=\(value) is not a positive, finite number of microseconds"
        case let .badWatchdogPID(value): return "WATCHDOG_PID=\(value) is not a process ID"
        }
    }
}
