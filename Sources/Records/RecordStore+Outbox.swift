#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRDB

/// The outbox: finished records waiting for the reporting endpoint, what was tried, and when to try again.
extension RecordStore {
    public enum DeliveryState: String, Sendable {
        case pending, delivered
    }

    /// One finished record's delivery.
    public struct OutboxEntry: Sendable, Equatable {
        public var recordID: String
        public var state: DeliveryState
        public var attempts: Int
        public var nextAttemptAt: Date
        public var lastError: String?
        public var deliveredAt: Date?
    }

    public func outboxEntry(id: String) throws(RecordStoreError) -> OutboxEntry? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE recordId = ?", arguments: [id]).map { Self.entry($0) } }
    }

    public func outbox() throws(RecordStoreError) -> [OutboxEntry] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY recordId").map { Self.entry($0) } }
    }

    /// An outbox row; `prefix`: its columns' names in a join that renamed them (`outboxState`, …).
    static func entry(_ row: Row, prefix: String = "") -> OutboxEntry {
        func column(_ name: String) -> String { prefix.isEmpty ? name : prefix + name.prefix(1).uppercased() + name.dropFirst() }
        return OutboxEntry(recordID: row[column("recordId")], state: DeliveryState(rawValue: row[column("state")]) ?? .pending,
                           attempts: row[column("attempts")], nextAttemptAt: row[column("nextAttemptAt")],
                           lastError: row[column("lastError")], deliveredAt: row[column("deliveredAt")])
    }

    /// Pending records whose next attempt is due at `now`, the longest waiting first.
    public func due(at now: Date, limit: Int = 50) throws(RecordStoreError) -> [(record: InteractionRecord, attempts: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT interaction.*, outbox.attempts AS outboxAttempts FROM outbox JOIN interaction ON interaction.id = outbox.recordId
                WHERE outbox.state = 'pending' AND outbox.nextAttemptAt <= ?
                ORDER BY outbox.nextAttemptAt, interaction.pressedAt LIMIT ?
                """, arguments: [now, limit]).map { row -> (record: InteractionRecord, attempts: Int) in
                    (Self.record(row), row["outboxAttempts"])
                }
        }
    }

    /// When the earliest pending record is due (nil: nothing pending).
    public func nextDue() throws(RecordStoreError) -> Date? {
        try read { db in try Date.fetchOne(db, sql: "SELECT MIN(nextAttemptAt) FROM outbox WHERE state = 'pending'") }
    }

    public func pendingCount() throws(RecordStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0 }
    }

    /// The endpoint took the record (or already had it).
    public func markDelivered(id: String, at time: Date) throws(RecordStoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, deliveredAt = ?, lastError = NULL WHERE recordId = ?",
                           arguments: [time, id])
        }
    }

    /// An attempt failed: counted, with why, and the time to try again.
    public func markFailed(id: String, error: String, retryAt: Date) throws(RecordStoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE recordId = ? AND state = 'pending'",
                           arguments: [error, retryAt, id])
        }
    }

    /// Pending records not due before `time` are moved up to it: the endpoint is back, no need to wait out
    /// each record's own backoff.
    public func advancePending(to time: Date) throws(RecordStoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET nextAttemptAt = ? WHERE state = 'pending' AND nextAttemptAt > ?", arguments: [time, time])
        }
    }

    /// Deletes records delivered before `cutoff`; with `undelivered` (no reporting endpoint is configured)
    /// also finished records that ended before it. Returns how many went.
    @discardableResult
    public func prune(before cutoff: Date, undelivered: Bool = false) throws(RecordStoreError) -> Int {
        try write { db in
            try db.execute(sql: """
                DELETE FROM interaction WHERE id IN (SELECT recordId FROM outbox WHERE state = 'delivered' AND deliveredAt < ?)
                """, arguments: [cutoff])
            var count = db.changesCount
            if undelivered {
                try db.execute(sql: "DELETE FROM interaction WHERE endedAt IS NOT NULL AND endedAt < ?", arguments: [cutoff])
                count += db.changesCount
            }
            return count
        }
    }
}
