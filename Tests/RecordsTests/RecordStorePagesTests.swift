import Foundation
import GRDB
import Testing
@testable import Records

/// Keyset paging for GET /v1/calls: newest press first, ties broken by id, every record on exactly one page.
struct RecordStorePagesTests {
    /// 23 records over 12 distinct press times (pairs pressed in the same millisecond), some finished.
    static func filled(_ store: RecordStore) throws -> [InteractionRecord] {
        let start = Date(timeIntervalSince1970: 1_800_000_000.25)
        var all: [InteractionRecord] = []
        for i in 0..<23 {
            let record = sampleRecord(pressedAt: start.addingTimeInterval(Double(i / 2) * 61.5))
            if i % 3 == 0 { try store.begin(record) } else { try store.finish(finished(record)) }
            all.append(i % 3 == 0 ? record : finished(record))
        }
        return all
    }

    /// What the store should give: pressed time descending, then id descending.
    static func newestFirst(_ records: [InteractionRecord]) -> [String] {
        records.sorted { ($0.pressedAt, $0.id) > ($1.pressedAt, $1.id) }.map(\.id)
    }

    @Test func aSmallLimitWalksEveryRecordExactlyOnceNewestFirst() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let all = try Self.filled(store)

        var seen: [String] = []
        var sizes: [Int] = []
        var cursor: RecordStore.PageCursor?
        repeat {
            // Through the token, as a client gets it.
            let page = try store.page(limit: 5, after: try cursor.map { try #require(RecordStore.PageCursor(token: $0.token)) })
            sizes.append(page.entries.count)
            seen += page.entries.map(\.record.id)
            cursor = page.next
        } while cursor != nil && sizes.count < 20
        #expect(sizes == [5, 5, 5, 5, 3])
        #expect(seen == Self.newestFirst(all))
        #expect(Set(seen).count == 23)
        // The records come back whole.
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        for entry in try store.page(limit: 200).entries {
            #expect(entry.record == byID[entry.record.id])
        }
    }

    @Test func aFullLastPageHasNoNextAndAnEmptyStoreIsOneEmptyPage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let empty = try store.page(limit: 50)
        #expect(empty.entries.isEmpty && empty.next == nil)

        for i in 0..<10 { try store.finish(finished(sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(i))))) }
        let first = try store.page(limit: 5)
        #expect(first.entries.count == 5)
        #expect(first.next != nil)
        let second = try store.page(limit: 5, after: first.next)
        #expect(second.entries.count == 5)
        #expect(second.next == nil, "no empty page after the last record")
        #expect(try store.page(limit: 10).next == nil)
        #expect(try store.page(limit: 9).next != nil)
    }

    @Test func callsWhileSomeoneIsPagingNeitherShiftNorRepeatAPage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let all = try Self.filled(store)
        let first = try store.page(limit: 7)
        // Two new presses (newer than everything) between the pages: with OFFSET the walk would see
        // two records of the first page again.
        try store.begin(sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_900_000_000)))
        try store.begin(sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_900_000_001)))
        var seen = first.entries.map(\.record.id)
        var cursor = first.next
        while let c = cursor {
            let page = try store.page(limit: 7, after: c)
            seen += page.entries.map(\.record.id)
            cursor = page.next
        }
        #expect(seen == Self.newestFirst(all))
    }

    @Test func eachEntryCarriesItsDelivery() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        let open = sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_800_000_300))
        let waiting = finished(sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_800_000_200)))
        let delivered = finished(sampleRecord(pressedAt: Date(timeIntervalSince1970: 1_800_000_100)))
        try store.begin(open)
        try store.finish(waiting)
        try store.finish(delivered)
        try store.markFailed(id: waiting.id, error: "HTTP 503 Service Unavailable", retryAt: Date(timeIntervalSince1970: 1_800_000_400))
        try store.markDelivered(id: delivered.id, at: Date(timeIntervalSince1970: 1_800_000_500))

        let entries = try store.page(limit: 10).entries
        #expect(entries.map(\.record.id) == [open.id, waiting.id, delivered.id])
        #expect(entries[0].delivery == nil, "a call still going on is not in the outbox")
        #expect(entries[1].delivery?.state == .pending && entries[1].delivery?.attempts == 1)
        #expect(entries[1].delivery?.lastError == "HTTP 503 Service Unavailable")
        #expect(entries[2].delivery?.state == .delivered && entries[2].delivery?.deliveredAt == Date(timeIntervalSince1970: 1_800_000_500))
        #expect(entries[2].delivery == (try store.outboxEntry(id: delivered.id)))
    }

    @Test func aCursorIsOpaqueAndOnlyTheStoresOwnAreTaken() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RecordStore(path: dir.database)
        _ = try Self.filled(store)
        let next = try #require(try store.page(limit: 3).next)
        #expect(next.token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(next.token)")
        #expect(RecordStore.PageCursor(token: next.token) == next)

        func base64url(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        for bad in ["", "!!!", "a b", next.token + "=", String(repeating: "A", count: 600),
                    base64url("not a time\n\(UUID())"), base64url("2027-01-15 08:00:00.000\n"), base64url("2027-01-15 08:00:00.000"),
                    base64url("2027-01-15 08:00:00.000\na\nb"), "_-_-"] {
            #expect(RecordStore.PageCursor(token: bad) == nil, "\(bad.prefix(40))")
        }
        // A well-formed cursor from before every record: an empty last page.
        let early = try #require(RecordStore.PageCursor(token: base64url("2000-01-01 00:00:00.000\nz")))
        let page = try store.page(limit: 5, after: early)
        #expect(page.entries.isEmpty && page.next == nil)
    }
}
