import Foundation
import Logging
import Testing
@testable import Records

struct DeliveryBackoffTests {
    @Test func delaysDoubleUpToTheCap() {
        let backoff = DeliveryBackoff(initialSeconds: 1, capSeconds: 8, jitter: 0.2)
        #expect((1...6).map { backoff.baseDelay(failures: $0) } == [1, 2, 4, 8, 8, 8])
        #expect(backoff.baseDelay(failures: 10_000) == 8, "no overflow after many failures")
        // Jitter takes off up to 20 %, never adds.
        #expect(backoff.delay(failures: 3, unit: 0) == 4)
        #expect(abs(backoff.delay(failures: 3, unit: 0.999_999) - 3.2) < 0.001)
        #expect(backoff.delay(failures: 3, unit: 0.5) == 3.6)
    }

    @Test func theEndpointIsPausedUntilTheDelayHasPassedOnTheClock() {
        let clock = ManualClock()
        var backoff = DeliveryBackoff(initialSeconds: 2, capSeconds: 60, jitter: 0)
        #expect(backoff.mayAttempt(at: clock.now))
        let retry = backoff.failed(at: clock.now, unit: 0.3)
        #expect(retry == clock.now.addingTimeInterval(2))
        clock.advance(1.9)
        #expect(!backoff.mayAttempt(at: clock.now))
        clock.advance(0.1)
        #expect(backoff.mayAttempt(at: clock.now))
        #expect(backoff.failed(at: clock.now, unit: 0) == clock.now.addingTimeInterval(4))
        #expect(backoff.succeeded() == true, "it had been failing")
        #expect(backoff.consecutiveFailures == 0 && backoff.mayAttempt(at: clock.now))
        #expect(backoff.succeeded() == false)
    }
}

struct DeliveryLoopTests {
    let logger = Logger(label: "records-test")

    func store(_ dir: TemporaryDirectory, records count: Int, at time: Date) throws -> (RecordStore, [String]) {
        let store = try RecordStore(path: dir.database)
        var ids: [String] = []
        for i in 0..<count {
            let record = finished(sampleRecord(pressedAt: time.addingTimeInterval(Double(i))))
            try store.finish(record, now: time)
            ids.append(record.id)
        }
        return (store, ids)
    }

    @Test func aDownEndpointIsTriedOncePerBackoffAndEveryRecordGoesOnceWhenItIsBack() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let (store, ids) = try store(dir, records: 20, at: clock.now)
        let sender = ScriptedSender(fallback: .failed("connection refused"))
        let delivery = RecordDelivery(store: store, sender: sender, backoff: DeliveryBackoff(initialSeconds: 1, capSeconds: 4, jitter: 0),
                                      retentionDays: 7, logger: logger, now: { clock.now }, unit: { 0 })
        var wake = await delivery.pass()
        #expect(sender.sent.count == 1, "one attempt, not one per record")
        #expect(wake == clock.now.addingTimeInterval(1))
        // Before the delay is over nothing is tried.
        clock.advance(0.5)
        await delivery.pass()
        #expect(sender.sent.count == 1)
        // Each failure doubles the wait, up to the cap.
        var waits: [Double] = []
        for _ in 0..<5 {
            clock.advance(wake!.timeIntervalSince(clock.now))
            let before = clock.now
            wake = await delivery.pass()
            waits.append(wake!.timeIntervalSince(before))
        }
        #expect(waits == [2, 4, 4, 4, 4])
        #expect(sender.sent.count == 6)
        let entry = try #require(try store.outboxEntry(id: ids[0]))
        #expect(entry.lastError == "connection refused" && entry.attempts >= 1)

        // The endpoint comes back: one pass empties the outbox, each record sent once more.
        sender.setFallback(.delivered)
        clock.advance(wake!.timeIntervalSince(clock.now))
        let failedAttempts = sender.sent.count
        wake = await delivery.pass()
        #expect(wake == nil, "nothing left pending")
        let deliveredNow = Array(sender.sent.dropFirst(failedAttempts))
        #expect(Set(deliveredNow) == Set(ids) && deliveredNow.count == ids.count)
        #expect(try store.pendingCount() == 0)
        #expect(try store.outbox().allSatisfy { $0.state == .delivered && $0.deliveredAt == clock.now })
    }

    @Test func aDuplicateCountsAsDeliveredAndAServerErrorIsRetried() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let (store, ids) = try store(dir, records: 2, at: clock.now)
        let sender = ScriptedSender([.duplicate, .failed("HTTP 503 Service Unavailable")])
        let delivery = RecordDelivery(store: store, sender: sender, backoff: DeliveryBackoff(initialSeconds: 3, capSeconds: 30, jitter: 0),
                                      retentionDays: 7, logger: logger, now: { clock.now }, unit: { 0 })
        let wake = await delivery.pass()
        #expect(try store.outboxEntry(id: ids[0])?.state == .delivered)
        let second = try #require(try store.outboxEntry(id: ids[1]))
        #expect(second.state == .pending && second.lastError == "HTTP 503 Service Unavailable")
        #expect(second.nextAttemptAt == clock.now.addingTimeInterval(3) && wake == second.nextAttemptAt)
        clock.advance(3)
        #expect(await delivery.pass() == nil)
        #expect(try store.outboxEntry(id: ids[1])?.state == .delivered)
        #expect(sender.sent == [ids[0], ids[1], ids[1]])
    }

    @Test func deliveredRecordsGoAfterTheRetention() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let (store, _) = try store(dir, records: 3, at: clock.now)
        let sender = ScriptedSender()
        let delivery = RecordDelivery(store: store, sender: sender, backoff: DeliveryBackoff(), retentionDays: 2, logger: logger,
                                      now: { clock.now }, unit: { 0 })
        await delivery.pass()
        #expect(try store.records().count == 3)
        clock.advance(86_400 * 2 + 1)
        await delivery.pass()
        #expect(try store.records().isEmpty)
    }
}
