#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Control
import Records

/// The interaction records as the fleet API serves them (`GET /v1/calls`, the status page's last calls):
/// each call in the very JSON the reporting endpoint receives (InteractionRecord.json, one shape, not
/// two), with its delivery added.
extension KioskManagement {
    /// Why no page of calls could be given.
    public enum CallsError: Error, Sendable {
        /// A request parameter is wrong: `field` names it.
        case badArgument(field: String, message: String)
        /// This daemon keeps no records (SIP off, or the database could not be opened).
        case unavailable(String)
        /// The database could not be read.
        case failed(String)
    }

    /// The page sizes `calls` takes.
    public static var callPageSizes: ClosedRange<Int> { RecordStore.pageSizes }

    /// Up to `limit` calls, newest press first, starting where the `cursor` of the page before said;
    /// `{"calls": [...], "next": cursor or null}`.
    public func calls(limit: Int, cursor: String?) throws(CallsError) -> ControlValue {
        guard Self.callPageSizes.contains(limit) else {
            throw .badArgument(field: "limit", message: "limit: \(limit) is not a whole number in \(Self.callPageSizes.lowerBound)...\(Self.callPageSizes.upperBound)")
        }
        var start: RecordStore.PageCursor?
        if let cursor {
            guard let parsed = RecordStore.PageCursor(token: cursor) else {
                throw .badArgument(field: "cursor", message: "cursor: '\(cursor.prefix(80))' is not a cursor this API gave (use the `next` of the page before)")
            }
            start = parsed
        }
        let store = try recordStore()
        let page: RecordStore.Page
        do { page = try store.page(limit: limit, after: start) } catch { throw .failed("\(error)") }
        var calls: [ControlValue] = []
        for entry in page.entries { calls.append(try callJSON(entry)) }
        return ["calls": .array(calls), "next": page.next.map { .string($0.token) } ?? .null]
    }

    /// The store, or why there is none, in words a technician acts on.
    func recordStore() throws(CallsError) -> RecordStore {
        if let records { return records }
        if !config.sipEnabled {
            throw .unavailable("no interaction records: this kiosk takes no calls (no sip section), so it keeps none")
        }
        throw .unavailable("no interaction records: the records database \(config.records.databasePath) is not open (the log at the start says why)")
    }

    /// A record as the reporting endpoint gets it, plus `delivery`.
    func callJSON(_ entry: RecordStore.PageEntry) throws(CallsError) -> ControlValue {
        let body: ControlValue
        do {
            body = try ControlValue(parsing: Array(try entry.record.json()))
        } catch {
            throw .failed("record \(entry.record.id) cannot be shown: \(error)")
        }
        guard case var .object(pairs) = body else { throw .failed("record \(entry.record.id) is not a JSON object") }
        pairs.append(("delivery", delivery(entry)))
        return .object(pairs)
    }

    /// `delivered` (the reporting endpoint took it), `waiting` (in the outbox, or the call still going
    /// on), or `notReported` (no reporting endpoint configured: the record is only kept here).
    func delivery(_ entry: RecordStore.PageEntry) -> ControlValue {
        func time(_ date: Date) -> ControlValue { .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)) }
        guard let outbox = entry.delivery else {
            return ["state": config.records.reportingURL == nil ? "notReported" : "waiting", "attempts": 0]
        }
        if outbox.state == .delivered, let at = outbox.deliveredAt {
            return ["state": "delivered", "attempts": .int(outbox.attempts), "deliveredAt": time(at)]
        }
        if config.records.reportingURL == nil { return ["state": "notReported", "attempts": .int(outbox.attempts)] }
        var pairs: [(String, ControlValue)] = [("state", "waiting"), ("attempts", .int(outbox.attempts)),
                                              ("nextAttemptAt", time(outbox.nextAttemptAt))]
        if let error = outbox.lastError { pairs.append(("lastError", .string(error))) }
        return .object(pairs)
    }

    /// The last `count` calls for the status page, or why there are none to show.
    public func recentCalls(_ count: Int) -> Result<[ControlValue], CallsError> {
        Result { () throws(CallsError) in try calls(limit: count, cursor: nil)["calls"]?.array ?? [] }
    }
}
