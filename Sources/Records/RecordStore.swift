#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRDB

/// The kiosk's interaction records in SQLite, written as the call happens: a row at the press, updated
/// at the answer, finished at the end, when it also enters the outbox for delivery. WAL with
/// `synchronous=FULL`, so a committed write survives a crash or a power cut; every method commits before
/// it returns. Safe to call from any thread.
public final class RecordStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Records that a crash left unfinished, closed as interrupted when this store opened.
    public let recovered: [String]

    /// The note on a record the daemon could not finish.
    public static let interruptedNote = "interrupted: kioskd stopped before the call ended; closed when it started again"

    /// Opens (or creates) the database at `path` and closes records a crash left open. `maximumPageCount`
    /// caps the file (PRAGMA max_page_count), for tests of a full disk.
    public init(path: String, maximumPageCount: Int? = nil, now: Date = Date()) throws(RecordStoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "records"
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if let maximumPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous=NORMAL on the writer when it turns WAL on (after prepareDatabase):
            // NORMAL may lose the last commits on a power cut, so the writer is set to FULL again here.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
            recovered = try pool.write { db in try Self.closeInterrupted(db, at: now) }
        } catch {
            throw RecordStoreError.from(error, path: path)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: interactions and their outbox") { db in
            try db.create(table: "interaction") { t in
                t.primaryKey("id", .text)
                t.column("kioskId", .text).notNull()
                t.column("kioskName", .text).notNull()
                t.column("site", .text).notNull().defaults(to: "")
                t.column("address", .text).notNull().defaults(to: "")
                t.column("floor", .text).notNull().defaults(to: "")
                t.column("latitude", .double)
                t.column("longitude", .double)
                t.column("category", .text)
                t.column("language", .text).notNull()
                t.column("pressedAt", .datetime).notNull()
                t.column("answeredAt", .datetime)
                t.column("endedAt", .datetime)
                t.column("queueWaitSeconds", .double)
                t.column("outcome", .text)
                t.column("endedBy", .text)
                t.column("media", .text)  // JSON of MediaQuality
                t.column("cameraShared", .boolean).notNull().defaults(to: false)
                t.column("note", .text)
            }
            // One row per finished record: what delivery has done with it.
            try db.create(table: "outbox") { t in
                t.primaryKey("recordId", .text).references("interaction", onDelete: .cascade)
                t.column("state", .text).notNull()  // pending | delivered
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("lastError", .text)
                t.column("deliveredAt", .datetime)
            }
            try db.create(index: "outbox_due", on: "outbox", columns: ["state", "nextAttemptAt"])
        }
        migrator.registerMigration("v2: index for paging newest first") { db in
            // GET /v1/calls walks (pressedAt, id) backwards: the index serves each page without a sort.
            try db.create(index: "interaction_pressed", on: "interaction", columns: ["pressedAt", "id"])
        }
        return migrator
    }

    /// Records with no end were cut off by a crash or power cut: closed as failed, ended by the kiosk,
    /// at the last time known (the answer or the press), with a note; they go to the outbox like any other.
    static func closeInterrupted(_ db: Database, at now: Date) throws -> [String] {
        let open = try String.fetchAll(db, sql: "SELECT id FROM interaction WHERE endedAt IS NULL ORDER BY pressedAt")
        guard !open.isEmpty else { return [] }
        try db.execute(sql: """
            UPDATE interaction SET endedAt = COALESCE(answeredAt, pressedAt), outcome = 'failed', endedBy = 'kiosk', note = ?,
                queueWaitSeconds = COALESCE(queueWaitSeconds, (julianday(COALESCE(answeredAt, pressedAt)) - julianday(pressedAt)) * 86400)
            WHERE endedAt IS NULL
            """, arguments: [interruptedNote])
        try db.execute(sql: """
            INSERT INTO outbox (recordId, state, attempts, nextAttemptAt)
            SELECT id, 'pending', 0, ? FROM interaction WHERE id NOT IN (SELECT recordId FROM outbox)
            """, arguments: [now])
        return open
    }

    func write<T>(_ body: (Database) throws -> T) throws(RecordStoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw RecordStoreError.from(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(RecordStoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw RecordStoreError.from(error, path: path)
        }
    }

    // MARK: - As the call happens

    /// The press: the request's row, before the call is placed.
    public func begin(_ record: InteractionRecord) throws(RecordStoreError) {
        try write { db in try Self.insert(record, db) }
    }

    /// The agent answered.
    public func answered(id: String, at time: Date) throws(RecordStoreError) {
        try write { db in
            try db.execute(sql: "UPDATE interaction SET answeredAt = ? WHERE id = ? AND endedAt IS NULL", arguments: [time, id])
        }
    }

    /// The end: the whole record as it ended (a row the press could not write is written now), and its
    /// outbox entry, due at once. Finishing twice changes nothing.
    public func finish(_ record: InteractionRecord, now: Date = Date()) throws(RecordStoreError) {
        try write { db in
            let finished = try Bool.fetchOne(db, sql: "SELECT endedAt IS NOT NULL FROM interaction WHERE id = ?", arguments: [record.id])
            if finished == true { return }
            if finished == nil {
                try Self.insert(record, db)
            } else {
                try db.execute(sql: """
                    UPDATE interaction SET category = ?, language = ?, answeredAt = ?, endedAt = ?, queueWaitSeconds = ?,
                        outcome = ?, endedBy = ?, media = ?, cameraShared = ?, note = ?
                    WHERE id = ?
                    """, arguments: [record.category, record.language, record.answeredAt, record.endedAt, record.queueWaitSeconds,
                                     record.outcome?.rawValue, record.endedBy?.rawValue, try Self.mediaJSON(record.media),
                                     record.cameraShared, record.note, record.id])
            }
            try db.execute(sql: "INSERT OR IGNORE INTO outbox (recordId, state, attempts, nextAttemptAt) VALUES (?, 'pending', 0, ?)",
                           arguments: [record.id, now])
        }
    }

    static func insert(_ r: InteractionRecord, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO interaction (id, kioskId, kioskName, site, address, floor, latitude, longitude, category, language,
                pressedAt, answeredAt, endedAt, queueWaitSeconds, outcome, endedBy, media, cameraShared, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.id, r.kioskID, r.kioskName, r.location.site, r.location.address, r.location.floor,
                             r.location.latitude, r.location.longitude, r.category, r.language, r.pressedAt, r.answeredAt,
                             r.endedAt, r.queueWaitSeconds, r.outcome?.rawValue, r.endedBy?.rawValue, try mediaJSON(r.media),
                             r.cameraShared, r.note])
    }

    static func mediaJSON(_ media: InteractionRecord.MediaQuality?) throws -> String? {
        guard let media else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(media), as: UTF8.self)
    }

    // MARK: - Reading

    public func record(id: String) throws(RecordStoreError) -> InteractionRecord? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM interaction WHERE id = ?", arguments: [id]).map(Self.record) }
    }

    /// Every record, oldest press first.
    public func records() throws(RecordStoreError) -> [InteractionRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM interaction ORDER BY pressedAt, id").map(Self.record) }
    }

    static func record(_ row: Row) -> InteractionRecord {
        let media: InteractionRecord.MediaQuality? = (row["media"] as String?).flatMap {
            try? JSONDecoder().decode(InteractionRecord.MediaQuality.self, from: Data($0.utf8))
        }
        return InteractionRecord(
            id: row["id"], kioskID: row["kioskId"], kioskName: row["kioskName"],
            location: .init(site: row["site"], address: row["address"], floor: row["floor"], latitude: row["latitude"], longitude: row["longitude"]),
            category: row["category"], language: row["language"], pressedAt: row["pressedAt"], answeredAt: row["answeredAt"],
            endedAt: row["endedAt"], queueWaitSeconds: row["queueWaitSeconds"],
            outcome: (row["outcome"] as String?).flatMap(InteractionRecord.Outcome.init(rawValue:)),
            endedBy: (row["endedBy"] as String?).flatMap(InteractionRecord.Ender.init(rawValue:)),
            media: media, cameraShared: row["cameraShared"], note: row["note"])
    }
}
