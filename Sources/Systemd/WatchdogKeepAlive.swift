import Synchronization

/// Sends `WATCHDOG=1` every interval, but only when a health probe of the daemon answers "healthy"
/// within a deadline: a wedged actor (or a starved thread pool, which would not even run this loop)
/// means no keep-alive, and systemd restarts the service after `WatchdogSec`. The probe's status text
/// goes out as `STATUS=` whenever it changes.
public struct WatchdogKeepAlive: Sendable {
    /// What the probe found.
    public enum Health: Sendable, Hashable {
        /// All is well; `status` is the short state for `systemctl status` ("registered; idle").
        case healthy(status: String)
        case unhealthy(reason: String)
    }

    /// One round of the loop, for the daemon's log.
    public enum Round: Sendable, Hashable {
        case keptAlive(status: String)
        /// The probe said unhealthy or did not answer in time; no keep-alive was sent.
        case withheld(reason: String)
        case sendFailed(SystemdNotifyError)
    }

    public let notifier: SystemdNotifier
    public let interval: Duration
    public let probeDeadline: Duration
    /// False: only `STATUS=` updates (no watchdog armed), on the same rounds.
    public let sendsKeepAlive: Bool

    public init(notifier: SystemdNotifier, interval: Duration, probeDeadline: Duration, sendsKeepAlive: Bool = true) {
        self.notifier = notifier
        self.interval = interval
        self.probeDeadline = probeDeadline
        self.sendsKeepAlive = sendsKeepAlive
    }

    /// Runs rounds until the task is cancelled; the first round is at once.
    public func run(probe: @escaping @Sendable () async -> Health,
                    onRound: @Sendable (Round) -> Void = { _ in }) async {
        let clock = ContinuousClock()
        var next = clock.now
        var lastStatus: String?
        while !Task.isCancelled {
            let health = await Self.firstOf(deadline: probeDeadline, probe)
                ?? .unhealthy(reason: "the health probe did not answer within \(probeDeadline)")
            if Task.isCancelled { return }
            var notifications: [SystemdNotification] = []
            let status: String
            switch health {
            case let .healthy(text):
                status = text
                if sendsKeepAlive { notifications.append(.watchdog) }
            case let .unhealthy(reason):
                status = "unhealthy: \(reason)"
            }
            if status != lastStatus { notifications.insert(.status(status), at: 0) }
            do {
                try notifier.send(notifications)
                lastStatus = status
                switch health {
                case .healthy: onRound(.keptAlive(status: status))
                case let .unhealthy(reason): onRound(.withheld(reason: reason))
                }
            } catch {
                onRound(.sendFailed(error))
            }
            // Rounds keep their rhythm; after a slow probe the next one comes at once rather than late.
            next += interval
            if next < clock.now { next = clock.now }
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
        }
    }

    /// The probe's answer, or nil if it takes longer than `deadline`. A wedged probe cannot be cut short:
    /// it is left behind, unawaited, which is why this is not a task group (that would wait for it).
    static func firstOf<T: Sendable>(deadline: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        let once = ResumeOnce<T?>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            once.set(continuation)
            let worker = Task { once.resume(returning: await work()) }
            Task {
                try? await Task.sleep(for: deadline)
                once.resume(returning: nil)
                worker.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of two tasks finishes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func set(_ c: CheckedContinuation<T, Never>) { continuation.withLock { $0 = c } }

    func resume(returning value: T) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
