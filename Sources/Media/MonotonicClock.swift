#if canImport(Glibc)
import Glibc
#endif

/// Reads the monotonic clock (the one V4L2 timestamps use) and sleeps until a point on it. Adapters use
/// it; protocol cores take time as a parameter instead.
public enum MonotonicClock {
    public static func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Sleeps until `deadline` (monotonic nanoseconds); returns at once if it has passed.
    public static func sleep(until deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}
