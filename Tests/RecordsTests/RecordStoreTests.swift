import Foundation
import GRDB
import Testing
@testable import Records

struct RecordStoreTests {
    @Test func aRecordIsWrittenAtThePressUpdatedAtTheAnswerAndFinishedAtTheEnd() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let pressed = sampleRecord()
        try store.begin(pressed)
        #expect(try store.record(id: pressed.id) == pressed)
        #expect(try store.outboxEntry(id: pressed.id) == nil, "an unfinished record is not delivered")

        let answer = pressed.pressedAt.addingTimeInterval(4)
        try store.answered(id: pressed.id, at: answer)
        #expect(try store.record(id: pressed.id)?.answeredAt == answer)

        let end = finished(pressed)
        let now = Date()
        try store.finish(end, now: now)
        #expect(try store.record(id: pressed.id) == end)
        let entry = try #require(try store.outboxEntry(id: pressed.id))
        #expect(entry.state == .pending && entry.attempts == 0)
        #expect(try store.due(at: now).map(\.record.id) == [pressed.id])
        // Finishing again (a repeated end) changes nothing.
        var again = end
        again.outcome = .failed
        try store.finish(again)
        #expect(try store.record(id: pressed.id)?.outcome == .answered)
    }

    @Test func theDatabaseIsWALWithFullSynchronousWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let (mode, writerSync) = try store.pool.write { db throws -> (String?, Int?) in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(writerSync == 2)  // FULL (readers do not write)
        // Still so after writes.
        try store.begin(sampleRecord())
        #expect(try store.pool.write { db throws -> Int? in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }

    @Test func anEndWhosePressCouldNotBeWrittenIsWrittenWhole() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let end = finished(sampleRecord())
        try store.finish(end)
        #expect(try store.record(id: end.id) == end)
        #expect(try store.outboxEntry(id: end.id)?.state == .pending)
    }

    @Test func recordsACrashLeftOpenAreClosedAsInterruptedOnTheNextOpen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pressedOnly = sampleRecord("11111111-1111-4111-8111-111111111111")
        let answered = sampleRecord("22222222-2222-4222-8222-222222222222", pressedAt: pressedOnly.pressedAt.addingTimeInterval(60))
        let done = finished(sampleRecord("33333333-3333-4333-8333-333333333333", pressedAt: pressedOnly.pressedAt.addingTimeInterval(120)))
        do {
            let store = try RecordStore(path: dir.database)
            try store.begin(pressedOnly)
            try store.begin(answered)
            try store.answered(id: answered.id, at: answered.pressedAt.addingTimeInterval(7))
            try store.begin(done)
            try store.finish(done)
        }
        let reopened = try RecordStore(path: dir.database)
        #expect(reopened.recovered == [pressedOnly.id, answered.id])
        let a = try #require(try reopened.record(id: pressedOnly.id))
        #expect(a.outcome == .failed && a.endedBy == .kiosk && a.note == RecordStore.interruptedNote)
        #expect(a.endedAt == a.pressedAt && a.queueWaitSeconds == 0)
        let b = try #require(try reopened.record(id: answered.id))
        #expect(b.outcome == .failed && b.endedAt == answered.pressedAt.addingTimeInterval(7))
        #expect(abs((b.queueWaitSeconds ?? 0) - 7) < 0.01)
        #expect(try reopened.record(id: done.id) == done, "a finished record is left alone")
        #expect(try reopened.outbox().filter { $0.state == .pending }.count == 3)
        // A third open finds nothing left to close.
        #expect(try RecordStore(path: dir.database).recovered.isEmpty)
    }

    @Test func aFullDiskIsAClearErrorAndTheStoreGoesOn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // A database that may not grow past 24 pages of 4 KiB: SQLite answers SQLITE_FULL, as on a full disk.
        let store = try RecordStore(path: dir.database, maximumPageCount: 24)
        var written = 0
        var failure: RecordStoreError?
        for _ in 0..<500 {
            var record = sampleRecord()
            record.note = String(repeating: "x", count: 2000)
            do {
                try store.begin(record)
                written += 1
            } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure, "24 pages never filled")
        print("full after \(written) records: \(error)")
        #expect(error.kind == .diskFull)
        #expect(error.description.contains("disk is full") && error.description.contains(dir.database))
        #expect(written > 0)
        // What was written is still there and can be delivered and pruned, which frees room.
        #expect(try store.records().count == written)
        let first = try #require(try store.records().first)
        try store.finish(finished(first), now: first.pressedAt)
        try store.markDelivered(id: first.id, at: first.pressedAt)
        #expect(try store.prune(before: first.pressedAt.addingTimeInterval(1)) == 1)
        try store.begin(sampleRecord())
    }

    @Test func aDatabaseThatCannotBeCreatedIsAClearError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/records.sqlite"
        let error = #expect(throws: RecordStoreError.self) { _ = try RecordStore(path: path) }
        print(error.map { "\($0)" } ?? "no error")
        #expect(error?.kind == .notWritable && error?.description.contains(path) == true)
    }

    @Test func deliveredRecordsArePrunedAfterTheRetentionAndPendingOnesKept() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let old = finished(sampleRecord(pressedAt: t0)), pending = finished(sampleRecord(pressedAt: t0))
        let recent = finished(sampleRecord(pressedAt: t0.addingTimeInterval(86_400 * 9)))
        for r in [old, pending, recent] { try store.finish(r, now: r.pressedAt) }
        try store.markDelivered(id: old.id, at: t0.addingTimeInterval(60))
        try store.markDelivered(id: recent.id, at: t0.addingTimeInterval(86_400 * 9))
        // Seven days of retention, ten days on.
        let cutoff = t0.addingTimeInterval(86_400 * 10 - 86_400 * 7)
        #expect(try store.prune(before: cutoff) == 1)
        #expect(Set(try store.records().map(\.id)) == [pending.id, recent.id])
        #expect(try store.outboxEntry(id: old.id) == nil)
        // Without an endpoint, finished records go by their end.
        #expect(try store.prune(before: cutoff, undelivered: true) == 1)
        #expect(try store.records().map(\.id) == [recent.id])
    }

    @Test func theJSONBodyCarriesEveryFieldWithISOTimes() throws {
        let record = finished(sampleRecord("44444444-4444-4444-8444-444444444444"))
        let object = try #require(try JSONSerialization.jsonObject(with: record.json()) as? [String: Any])
        #expect(object["id"] as? String == record.id)
        #expect(object["kioskId"] as? String == "KSK-0412")
        #expect(object["pressedAt"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(object["endedAt"] as? String == "2027-01-15T08:00:30.000Z")
        #expect(object["outcome"] as? String == "answered" && object["endedBy"] as? String == "customer")
        #expect(object["cameraShared"] as? Bool == true && object["queueWaitSeconds"] as? Double == 4)
        #expect((object["location"] as? [String: Any])?["site"] as? String == "Zürich HB")
        #expect((object["media"] as? [String: Any])?["framesPerSecond"] as? Double == 24.8)
    }
}
