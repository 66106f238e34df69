#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When to try the reporting endpoint again after it failed: exponential backoff from `initial`,
/// doubling per consecutive failure up to `cap`, each delay shortened by up to `jitter` of itself at
/// random so that a fleet of kiosks does not come back in step. No I/O: the caller passes the time and
/// the random number. One backoff for the endpoint, not per record, so a dead endpoint gets one attempt
/// per delay rather than one per queued record.
public struct DeliveryBackoff: Sendable, Equatable {
    public var initial: Double
    public var cap: Double
    /// 0…1: the share of each delay taken off at random.
    public var jitter: Double
    /// Failures since the last success.
    public private(set) var consecutiveFailures = 0
    /// No attempt before this (nil: try now).
    public private(set) var pausedUntil: Date?

    public init(initialSeconds: Double = 1, capSeconds: Double = 300, jitter: Double = 0.2) {
        initial = initialSeconds
        cap = max(capSeconds, initialSeconds)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay after `failures` consecutive failures (1: the first), before jitter: initial·2^(n−1), capped.
    public func baseDelay(failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        // 2^60 seconds is beyond any cap; stop doubling there so the number stays finite.
        return min(cap, initial * Double(sign: .plus, exponent: min(failures - 1, 60), significand: 1))
    }

    /// The delay with jitter: `unit` in 0..<1 takes off up to `jitter` of the base delay.
    public func delay(failures: Int, unit: Double) -> Double {
        baseDelay(failures: failures) * (1 - jitter * min(max(unit, 0), 1))
    }

    public func mayAttempt(at now: Date) -> Bool {
        pausedUntil.map { now >= $0 } ?? true
    }

    /// An attempt at `now` failed: returns when to try again.
    public mutating func failed(at now: Date, unit: Double) -> Date {
        consecutiveFailures += 1
        let until = now.addingTimeInterval(delay(failures: consecutiveFailures, unit: unit))
        pausedUntil = until
        return until
    }

    /// An attempt succeeded: the endpoint is up; returns whether it had been failing.
    @discardableResult
    public mutating func succeeded() -> Bool {
        defer {
            consecutiveFailures = 0
            pausedUntil = nil
        }
        return consecutiveFailures > 0
    }
}
