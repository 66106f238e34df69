#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Empties the outbox toward the reporting endpoint: due records are sent oldest first; a success marks
/// the record delivered, a failure pauses the whole endpoint by the backoff and moves the record's next
/// attempt to the same time. Delivered records older than the retention are pruned. Time comes from
/// `now` and randomness from `unit`, so tests can drive it.
public actor RecordDelivery {
    let store: RecordStore
    let sender: (any RecordSender)?
    var backoff: DeliveryBackoff
    let retentionSeconds: Double
    let logger: Logger
    let now: @Sendable () -> Date
    let unit: @Sendable () -> Double
    var lastPrune: Date?
    /// How often pruning runs.
    let pruneInterval: Double = 3600

    /// `sender` nil: no reporting endpoint is configured; records are only kept and pruned.
    public init(store: RecordStore, sender: (any RecordSender)?, backoff: DeliveryBackoff, retentionDays: Double, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }, unit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.store = store
        self.sender = sender
        self.backoff = backoff
        retentionSeconds = retentionDays * 86_400
        self.logger = logger
        self.now = now
        self.unit = unit
    }

    /// Runs until the task is cancelled, looking for due records at least every `poll`.
    public func run(poll: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            let wake = await pass()
            let wait = min(max(wake.map { $0.timeIntervalSince(now()) } ?? .infinity, 0.05), Double(poll.components.seconds) + Double(poll.components.attoseconds) / 1e18)
            do { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) } catch { break }
        }
        await sender?.shutdown()
    }

    /// One round: prune if it is time, then send what is due until the endpoint fails or nothing is due.
    /// Returns when something is next due (nil: nothing pending).
    @discardableResult
    public func pass() async -> Date? {
        let time = now()
        if lastPrune.map({ time.timeIntervalSince($0) >= pruneInterval }) ?? true {
            lastPrune = time
            do {
                let pruned = try store.prune(before: time.addingTimeInterval(-retentionSeconds), undelivered: sender == nil)
                if pruned > 0 { logger.info("records: pruned \(pruned) older than \(retentionSeconds / 86_400) days") }
            } catch {
                logger.error("records: cannot prune: \(error)")
            }
        }
        guard let sender else { return nil }
        while !Task.isCancelled {
            let time = now()
            guard backoff.mayAttempt(at: time) else { return backoff.pausedUntil }
            let due: [(record: InteractionRecord, attempts: Int)]
            do {
                due = try store.due(at: time)
            } catch {
                logger.error("records: cannot read the outbox: \(error)")
                return time.addingTimeInterval(5)
            }
            if due.isEmpty { return (try? store.nextDue()) ?? nil }
            for (record, attempts) in due {
                let result = await sender.send(record)
                let at = now()
                do {
                    switch result {
                    case .delivered, .duplicate:
                        try store.markDelivered(id: record.id, at: at)
                        logger.info("records: \(record.id) delivered\(result == .duplicate ? " (the endpoint had it already)" : "") after \(attempts + 1) attempt(s)")
                        if backoff.succeeded() {
                            // The endpoint is back: what waited for it goes now, not at each record's own time.
                            try store.advancePending(to: at)
                        }
                    case let .failed(why):
                        let retryAt = backoff.failed(at: at, unit: unit())
                        try store.markFailed(id: record.id, error: why, retryAt: retryAt)
                        let pending = (try? store.pendingCount()) ?? 0
                        logger.warning("records: cannot deliver \(record.id) (attempt \(attempts + 1)): \(why); \(pending) waiting, next try in \((retryAt.timeIntervalSince(at) * 10).rounded() / 10) s")
                        return retryAt
                    }
                } catch {
                    logger.error("records: \(error)")
                    return at.addingTimeInterval(5)
                }
            }
        }
        return nil
    }
}
