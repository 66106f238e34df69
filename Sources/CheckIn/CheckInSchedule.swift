/// When the next check-in is due: the configured interval (or the server's wish) with a little jitter so
/// a fleet started together does not post in lockstep; after failed attempts the wait doubles, up to
/// 8 × the interval. It also says when an outage starts and ends, so the log has one line for each and
/// not one per attempt. No I/O, no clock: the caller passes a random number in 0...1.
public struct CheckInSchedule: Sendable, Equatable {
    public let intervalSeconds: Double
    /// ± this fraction of the wait.
    public let jitter: Double
    /// Failed attempts since the last one the server took.
    public private(set) var failures = 0
    /// The server's `nextCheckInSeconds`, until it says otherwise.
    public private(set) var serverInterval: Double?

    static let maximumBackoffFactor = 8.0

    public init(intervalSeconds: Double, jitter: Double = 0.1) {
        self.intervalSeconds = intervalSeconds
        self.jitter = jitter
    }

    /// The wait before the first check-in: soon after start (within 2 s, sooner with a shorter interval).
    public func firstDelay(random: Double) -> Double {
        min(intervalSeconds, 2) * (0.5 + 0.5 * random)
    }

    /// The server answered (any decision but `.failed`). Returns whether that ends an outage.
    public mutating func succeeded(serverInterval wish: Double?) -> Bool {
        let ended = failures > 0
        failures = 0
        if let wish { serverInterval = wish }
        return ended
    }

    /// The attempt failed (unreachable, time-out, TLS, an HTTP error). Returns whether that starts an outage.
    public mutating func failed() -> Bool {
        failures += 1
        return failures == 1
    }

    /// The wait before the next check-in.
    public func nextDelay(random: Double) -> Double {
        let base = serverInterval ?? intervalSeconds
        // 2, 4, 8 × after one, two, three failures; 8 × from then on.
        let factor = min(Double(1 << min(failures, 3)), Self.maximumBackoffFactor)
        return base * factor * (1 + jitter * (2 * random - 1))
    }
}
