#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRDB

/// Reading the records a page at a time, newest press first, for the fleet API's `GET /v1/calls`.
/// Keyset paging (not OFFSET): a page starts after the last row of the one before, so a record written
/// meanwhile neither shifts a page nor is seen twice, and a deep page costs what the first one does.
extension RecordStore {
    /// Where the next page starts: the last row's press (as the database stores it) and id. Handed out
    /// as an opaque token (base64url); a token this store did not make is refused, not guessed at.
    public struct PageCursor: Sendable, Equatable {
        /// The database's own text of `pressedAt` ("YYYY-MM-DD HH:MM:SS.SSS", UTC): compared as stored,
        /// no round trip through Date that could move it by a millisecond.
        let pressedAt: String
        let id: String

        public init?(token: String) {
            guard !token.isEmpty, token.count <= 512, token.allSatisfy(Self.isTokenCharacter) else { return nil }
            var base64 = token.replacing("-", with: "+").replacing("_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty,
                  Date.fromDatabaseValue(String(parts[0]).databaseValue) != nil else { return nil }
            pressedAt = String(parts[0])
            id = String(parts[1])
        }

        init(pressedAt: String, id: String) {
            self.pressedAt = pressedAt
            self.id = id
        }

        public var token: String {
            Data((pressedAt + "\n" + id).utf8).base64EncodedString()
                .replacing("+", with: "-").replacing("/", with: "_")
                .replacing("=", with: "")
        }

        static func isTokenCharacter(_ c: Character) -> Bool {
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
        }
    }

    /// One record and what delivery has done with it (nil: not finished yet, so not in the outbox).
    public struct PageEntry: Sendable, Equatable {
        public var record: InteractionRecord
        public var delivery: OutboxEntry?
    }

    public struct Page: Sendable, Equatable {
        public var entries: [PageEntry]
        /// Where the next page starts; nil: this was the last.
        public var next: PageCursor?
    }

    public static let pageSizes = 1...200

    /// Up to `limit` records pressed before the cursor's (all of them without one), newest first; ties on
    /// the press time are ordered by id, so the order is total and every record is on exactly one page.
    public func page(limit: Int, after cursor: PageCursor? = nil) throws(RecordStoreError) -> Page {
        let limit = min(max(limit, Self.pageSizes.lowerBound), Self.pageSizes.upperBound)
        return try read { db in
            var sql = """
                SELECT interaction.*, CAST(interaction.pressedAt AS TEXT) AS pressedKey,
                    outbox.recordId AS outboxRecordId, outbox.state AS outboxState, outbox.attempts AS outboxAttempts,
                    outbox.nextAttemptAt AS outboxNextAttemptAt,
                    outbox.lastError AS outboxLastError, outbox.deliveredAt AS outboxDeliveredAt
                FROM interaction LEFT JOIN outbox ON outbox.recordId = interaction.id
                """
            var arguments: StatementArguments = []
            if let cursor {
                // A row value, not `a < ? OR (a = ? AND b < ?)`: SQLite seeks the (pressedAt, id) index to the
                // cursor with it (EXPLAIN QUERY PLAN: SEARCH … ((pressedAt,id)<(?,?))), where the OR form scans.
                sql += " WHERE (interaction.pressedAt, interaction.id) < (?, ?)"
                arguments = [cursor.pressedAt, cursor.id]
            }
            // One more than asked: whether there is a next page, without an empty last one.
            sql += " ORDER BY interaction.pressedAt DESC, interaction.id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit + 1])
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let entries = rows.prefix(limit).map { row in
                PageEntry(record: Self.record(row), delivery: (row["outboxRecordId"] as String?) == nil ? nil : Self.entry(row, prefix: "outbox"))
            }
            let next = rows.count > limit ? rows[limit - 1] : nil
            return Page(entries: Array(entries), next: next.map { PageCursor(pressedAt: $0["pressedKey"], id: $0["id"]) })
        }
    }
}
