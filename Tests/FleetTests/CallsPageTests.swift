import Control
import Foundation
@testable import Fleet
import Kiosk
import Logging
import Records
import Testing

/// `GET /v1/calls`'s core (KioskManagement.calls) and the status page's table on a real records database.
struct CallsPageTests {
    static let pressed = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(_ n: Int, seconds: Double? = 95, outcome: InteractionRecord.Outcome = .answered,
                       category: String? = "loans") -> InteractionRecord {
        let pressedAt = pressed.addingTimeInterval(Double(n) * 600)
        return InteractionRecord(
            id: "00000000-0000-0000-0000-00000000000\(n)", kioskID: "K1", kioskName: "Lobby",
            location: .init(site: "Hall", address: "Main St 1", floor: "1"), category: category, language: "de",
            pressedAt: pressedAt, answeredAt: seconds == nil ? nil : pressedAt.addingTimeInterval(3),
            endedAt: seconds.map { pressedAt.addingTimeInterval($0) }, queueWaitSeconds: seconds == nil ? nil : 3,
            outcome: seconds == nil ? nil : outcome, endedBy: seconds == nil ? nil : .agent,
            media: seconds == nil ? nil : .init(lossPercent: 0.25, receivedKbps: 800, sentKbps: 640), cameraShared: n == 1)
    }

    /// A management over a store in a temporary directory; `reporting`: a reporting URL is configured.
    func withManagement(reporting: Bool, _ body: (KioskManagement, RecordStore) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-calls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = KioskConfig()
        config.sipEnabled = true
        config.records.databasePath = "\(dir)/records.sqlite"
        config.records.reportingURL = reporting ? "http://127.0.0.1:9/v1/interactions" : nil
        let store = try RecordStore(path: config.records.databasePath)
        try body(KioskManagement(config: config, configPath: "\(dir)/kioskd.json", version: "test", sipAgent: nil, records: store,
                                 logger: Logger(label: "test")), store)
    }

    func calls(_ m: KioskManagement, limit: Int = 50, cursor: String? = nil) -> Result<ControlValue, KioskManagement.CallsError> {
        Result { () throws(KioskManagement.CallsError) -> ControlValue in try m.calls(limit: limit, cursor: cursor) }
    }

    @Test func eachCallIsTheReportingJSONPlusItsDelivery() throws {
        try withManagement(reporting: true) { m, store in
            let records = [Self.record(1), Self.record(2, outcome: .noAnswer), Self.record(3, seconds: nil)]
            try store.finish(records[0])
            try store.finish(records[1])
            try store.begin(records[2])
            try store.markDelivered(id: Self.record(1).id, at: Self.pressed.addingTimeInterval(700))
            try store.markFailed(id: Self.record(2).id, error: "HTTP 502 Bad Gateway", retryAt: Self.pressed.addingTimeInterval(1900))

            let page = try calls(m).get()
            let list = try #require(page["calls"]?.array)
            #expect(list.compactMap { $0["id"]?.string } == [3, 2, 1].map { Self.record($0).id })
            #expect(page["next"] == .null)
            // The reporting endpoint's body, key for key, then `delivery`.
            for (call, n) in zip(list, [3, 2, 1]) {
                let reported = try ControlValue(parsing: Array(try records[n - 1].json()))
                let pairs = try #require(call.objectPairs)
                #expect(pairs.last?.0 == "delivery")
                #expect(ControlValue.object(Array(pairs.dropLast())) == reported, "\(call.json)")
            }
            #expect(list[0]["delivery"] == ["state": "waiting", "attempts": 0], "the call is still going on")
            #expect(list[0]["outcome"] == nil && list[0]["endedAt"] == nil)
            #expect(list[1]["outcome"] == "noAnswer")
            #expect(list[1]["delivery"] == ["state": "waiting", "attempts": 1, "nextAttemptAt": "2027-01-15T08:31:40.000Z",
                                            "lastError": "HTTP 502 Bad Gateway"])
            #expect(list[2]["delivery"] == ["state": "delivered", "attempts": 1, "deliveredAt": "2027-01-15T08:11:40.000Z"])
            #expect(list[2]["pressedAt"] == "2027-01-15T08:10:00.000Z" && list[2]["cameraShared"] == true)
        }
    }

    @Test func withoutAReportingEndpointRecordsAreNotReportedNotWaiting() throws {
        try withManagement(reporting: false) { m, store in
            try store.finish(Self.record(1))
            try store.begin(Self.record(2, seconds: nil))
            let list = try #require(try calls(m).get()["calls"]?.array)
            #expect(list.compactMap { $0["delivery"]?["state"]?.string } == ["notReported", "notReported"])
        }
    }

    @Test func pagesFollowTheCursorAndBadParametersNameThemselves() throws {
        try withManagement(reporting: false) { m, store in
            for n in 1...5 { try store.finish(Self.record(n)) }
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try calls(m, limit: 2, cursor: cursor).get()
                ids += page["calls"]?.array?.compactMap { $0["id"]?.string } ?? []
                cursor = page["next"]?.string
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(ids == [5, 4, 3, 2, 1].map { Self.record($0).id })

            for (limit, cursor, field) in [(0, nil, "limit"), (201, nil, "limit"), (-1, nil, "limit"), (10, "", "cursor"),
                                           (10, "not a cursor", "cursor"), (10, "bm90IGEgY3Vyc29y", "cursor")] as [(Int, String?, String)] {
                guard case let .failure(.badArgument(named, message)) = calls(m, limit: limit, cursor: cursor) else {
                    Issue.record("limit \(limit), cursor \(cursor ?? "nil"): not refused")
                    continue
                }
                #expect(named == field && message.hasPrefix("\(field): "), "\(message)")
            }
        }
    }

    @Test func withoutAStoreTheAnswerSaysWhy() throws {
        var config = KioskConfig()
        config.sipEnabled = true
        config.records.databasePath = "/nonexistent/records.sqlite"
        let m = KioskManagement(config: config, configPath: "/nonexistent/kioskd.json", version: "test", sipAgent: nil, logger: Logger(label: "test"))
        guard case let .failure(.unavailable(why)) = calls(m) else { Issue.record("answered without a store"); return }
        #expect(why.contains("/nonexistent/records.sqlite is not open"))
        config.sipEnabled = false
        let noSIP = KioskManagement(config: config, configPath: "/nonexistent/kioskd.json", version: "test", sipAgent: nil, logger: Logger(label: "test"))
        guard case let .failure(.unavailable(noCalls)) = calls(noSIP) else { Issue.record("answered without a store"); return }
        #expect(noCalls.contains("takes no calls"))
        #expect(StatusPage.callsHTML(noSIP.recentCalls(10)).contains("takes no calls"))
    }

    @Test func theStatusPageListsTheLastCallsEscaped() throws {
        try withManagement(reporting: false) { m, store in
            #expect(StatusPage.callsHTML(m.recentCalls(10)) == #"<p id="calls">none yet</p>"#)
            try store.finish(Self.record(1, seconds: 95, category: "<b>loans</b>"))
            try store.begin(Self.record(2, seconds: nil))
            let html = StatusPage.callsHTML(m.recentCalls(10))
            #expect(html.contains(#"<tr><td>2027-01-15 08:20:00</td><td>loans</td><td class="outcome">in progress</td><td>in progress</td></tr>"#), "\(html)")
            #expect(html.contains(#"<tr><td>2027-01-15 08:10:00</td><td>&lt;b&gt;loans&lt;/b&gt;</td><td class="outcome">answered (agent)</td><td>1:35</td></tr>"#), "\(html)")
            #expect((try? m.recentCalls(1).get())?.count == 1)
        }
    }
}
