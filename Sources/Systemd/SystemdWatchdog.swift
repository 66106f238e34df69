#if canImport(Glibc)
import Glibc
#endif

/// The service watchdog systemd arms with `WatchdogSec=`: it passes the timeout as `$WATCHDOG_USEC`
/// and the process meant as `$WATCHDOG_PID`.
public struct SystemdWatchdog: Sendable, Hashable {
    /// After this long without `WATCHDOG=1` systemd kills the service (SIGABRT) and restarts it.
    public let timeout: Duration

    public init(timeout: Duration) { self.timeout = timeout }

    /// How often to send `WATCHDOG=1`: half the timeout, as sd_watchdog_enabled(3) advises, so one late
    /// keep-alive does not cost the service its life.
    public var keepAliveInterval: Duration { timeout / 2 }

    /// The watchdog as sd_watchdog_enabled(3) finds it: none without `WATCHDOG_USEC`; none when
    /// `WATCHDOG_PID` is set and names another process (the variables leaked to a child); the PID check
    /// is skipped when `WATCHDOG_PID` is unset. Values that do not parse are an error.
    public static func parse(watchdogUSec: String?, watchdogPID: String?,
                             processID: pid_t) -> Result<SystemdWatchdog?, SystemdEnvironmentProblem> {
        guard let watchdogUSec else { return .success(nil) }
        // 0 is no timeout, UINT64_MAX is systemd's "infinity": neither arms a watchdog.
        guard let usec = decimal(watchdogUSec), usec > 0, usec < UInt64.max else {
            return .failure(.badWatchdogUSec(watchdogUSec))
        }
        if let watchdogPID {
            guard let pid = decimal(watchdogPID), pid > 0, pid <= UInt64(Int32.max) else {
                return .failure(.badWatchdogPID(watchdogPID))
            }
            if pid_t(pid) != processID { return .success(nil) }
        }
        return .success(SystemdWatchdog(timeout: .microseconds(usec)))
    }

    /// A plain unsigned decimal (no sign, no spaces, no overflow), as systemd's safe_atou64 accepts it.
    static func decimal(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(text)
    }
}
