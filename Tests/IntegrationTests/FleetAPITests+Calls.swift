import Foundation
import Testing

/// `GET /v1/calls` on the real daemon: customers' calls to baresip (presses on the daemon's standard
/// input), listed from the records database with their outcome and context, paged, and the same JSON the
/// reporting endpoint (a python http.server) receives.
extension FleetAPITests {
    /// Presses the call key until a request is written, lets the agent answer, talks `seconds`, and ends
    /// the call: the customer's hang-up key, or the agent's hangup. Returns the request id.
    static func call(_ kiosk: Kiosk, talk seconds: Double, agentHangsUp: Bool) throws -> String {
        let daemon = kiosk.daemon
        let mark = RecordDeliveryTests.logSize(of: daemon)
        let id = try #require(RecordDeliveryTests.press(daemon), "no request written\n\(daemon.stderr.suffix(3000))")
        try #require(TestEnvironment.waitUntil(seconds: 10) { RecordDeliveryTests.log(of: daemon, after: mark).contains("call: answered") },
                     "\(daemon.stderr.suffix(3000))")
        Thread.sleep(forTimeInterval: seconds)
        if agentHangsUp {
            _ = try kiosk.setup.control.send("hangup", "", wait: 0.2)
        } else {
            daemon.writeStdin("h\n")
        }
        try #require(TestEnvironment.waitUntil(seconds: 10) { RecordDeliveryTests.log(of: daemon, after: mark).contains("records: \(id) finished") },
                     "\(daemon.stderr.suffix(3000))")
        Thread.sleep(forTimeInterval: 0.3)  // the ended screen and the flow's burst guard ignore presses
        return id
    }

    static func rfc3339(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return parser.date(from: text)
    }

    @Test func callsListTheRealCallsWithTheirOutcomeAndContextPagedNewestFirst() throws {
        let reportPort = try TestEnvironment.freeTCPPort()
        let recordsDir = try TestEnvironment.temporaryDirectory("fleet-calls-records")
        defer { try? FileManager.default.removeItem(atPath: recordsDir) }
        // The reporting endpoint is down at first: records wait in the outbox, retried at least every second.
        let kiosk = try Kiosk("fleet-calls", keys: true, records: """
            { "database": "\(recordsDir)/records.sqlite", "reportingUrl": "http://127.0.0.1:\(reportPort)/v1/interactions", "retryCapSeconds": 1 }
            """)
        defer { kiosk.stop() }
        #expect(try kiosk.curl("GET", "/v1/calls").status == 401)
        #expect(try kiosk.curl("GET", "/v1/calls", token: Self.revokedToken).status == 401)
        let empty = try kiosk.curl("GET", "/v1/calls", token: Self.goodToken)
        #expect(empty.status == 200, "\(empty.body)")
        #expect((empty.json["calls"] as? [Any])?.isEmpty == true && empty.json["next"] is NSNull, "\(empty.body)")

        // Five calls: the customer ends the even ones, the agent the odd ones.
        var ids: [String] = []
        for i in 0..<5 { ids.append(try Self.call(kiosk, talk: 1.2, agentHangsUp: i % 2 == 1)) }
        // A sixth still going on.
        let mark = RecordDeliveryTests.logSize(of: kiosk.daemon)
        let current = try #require(RecordDeliveryTests.press(kiosk.daemon))
        try #require(TestEnvironment.waitUntil(seconds: 10) { RecordDeliveryTests.log(of: kiosk.daemon, after: mark).contains("call: answered") })
        let during = try kiosk.curl("GET", "/v1/calls?limit=1", token: Self.goodToken)
        #expect(during.status == 200, "\(during.body)")
        let ongoing = try #require((during.json["calls"] as? [[String: Any]])?.first, "\(during.body)")
        #expect(ongoing["id"] as? String == current)
        #expect(ongoing["answeredAt"] is String && ongoing["endedAt"] == nil && ongoing["outcome"] == nil, "\(ongoing)")
        #expect((ongoing["delivery"] as? [String: Any])?["state"] as? String == "waiting")
        #expect(during.json["next"] is String)
        Thread.sleep(forTimeInterval: 0.5)  // a key within moments of the last press is taken as part of it
        kiosk.daemon.writeStdin("h\n")
        try #require(TestEnvironment.waitUntil(seconds: 10) { RecordDeliveryTests.log(of: kiosk.daemon, after: mark).contains("records: \(current) finished") },
                     "\(kiosk.daemon.stderr.suffix(2000))")
        ids.append(current)

        let all = try kiosk.curl("GET", "/v1/calls", token: Self.goodToken)
        #expect(all.status == 200)
        let calls = try #require(all.json["calls"] as? [[String: Any]], "\(all.body)")
        #expect(all.json["next"] is NSNull, "\(all.body)")
        // Newest press first; the ids are the request ids the agent saw in the INVITEs.
        #expect(calls.compactMap { $0["id"] as? String } == ids.reversed(), "\(calls.map { $0["id"] ?? "?" })")
        let invited = kiosk.setup.agent.log.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            guard let r = line.range(of: "X-Kiosk-Request-Id: ") else { return nil }
            return String(line[r.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(Set(invited) == Set(ids), "INVITEs \(invited)")
        #expect(kiosk.setup.agent.log.contains("X-Kiosk-Category: loans"))
        for call in calls {
            let id = call["id"] as? String ?? "?"
            let index = try #require(ids.firstIndex(of: id))
            #expect(call["outcome"] as? String == "answered", "\(call)")
            #expect(call["endedBy"] as? String == (index % 2 == 1 && index < 5 ? "agent" : "customer"), "\(id): \(call)")
            #expect(call["kioskId"] as? String == "KSK-0412" && call["kioskName"] as? String == "Rathaus Zürich")
            let location = call["location"] as? [String: Any]
            #expect(location?["site"] as? String == "Zürich HB, Halle Süd" && location?["address"] as? String == "北京市朝阳区建国路 88 号")
            #expect(location?["floor"] as? String == "EG" && location?["latitude"] as? Double == 47.378177)
            #expect(call["category"] as? String == "loans" && call["language"] as? String == "en", "\(call)")
            #expect(call["customerId"] == nil, "a press carries no customer id")
            #expect(call["cameraShared"] as? Bool == false, "a plain press does not share the camera")
            let pressed = try #require(Self.rfc3339(call["pressedAt"]), "\(call)")
            let answered = try #require(Self.rfc3339(call["answeredAt"]), "\(call)")
            let ended = try #require(Self.rfc3339(call["endedAt"]), "\(call)")
            #expect(pressed < answered && answered < ended)
            #expect(abs(Date().timeIntervalSince(pressed)) < 120)
            let wait = try #require(call["queueWaitSeconds"] as? Double)
            #expect(abs(wait - answered.timeIntervalSince(pressed)) < 0.01 && wait < 5, "\(call)")
            if index < 5 { #expect(ended.timeIntervalSince(answered) > 1.0, "talked 1.2 s: \(call)") }
            let media = try #require(call["media"] as? [String: Any], "\(call)")
            #expect((media["receivedKbps"] as? Double ?? 0) > 10 && (media["sentKbps"] as? Double ?? 0) > 10, "\(media)")
            let delivery = try #require(call["delivery"] as? [String: Any])
            #expect(delivery["state"] as? String == "waiting", "\(delivery)")
        }
        // By now the first call has been tried against the closed port, and says so.
        let tried = try #require(try kiosk.curl("GET", "/v1/calls?limit=200", token: Self.goodToken).json["calls"] as? [[String: Any]])
        let firstDelivery = try #require(tried.last?["delivery"] as? [String: Any])
        #expect((firstDelivery["attempts"] as? Int ?? 0) >= 1 && firstDelivery["lastError"] is String, "\(firstDelivery)")

        // A small limit walks every call exactly once, in the same order.
        var walked: [String] = []
        var sizes: [Int] = []
        var next: String?
        repeat {
            let page = try kiosk.curl("GET", "/v1/calls?limit=4" + (next.map { "&cursor=\($0)" } ?? ""), token: Self.goodToken)
            #expect(page.status == 200, "\(page.body)")
            walked += (page.json["calls"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            sizes.append((page.json["calls"] as? [Any])?.count ?? 0)
            next = page.json["next"] as? String
        } while next != nil && sizes.count < 10
        #expect(sizes == [4, 2])
        #expect(walked == ids.reversed())

        // Bad parameters: 400, the parameter named; the daemon goes on.
        for (query, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("limit=", "limit"),
                               ("cursor=%21%21", "cursor"), ("cursor=", "cursor"), ("cursor=bm90IGEgY3Vyc29y", "cursor")] {
            let bad = try kiosk.curl("GET", "/v1/calls?\(query)", token: Self.goodToken)
            #expect(bad.status == 400 && bad.json["field"] as? String == field && bad.json["error"] as? String == "bad-argument",
                    "\(query): \(bad.status) \(bad.body)")
            #expect((bad.json["message"] as? String)?.hasPrefix(field + ":") == true, "\(bad.body)")
        }

        // The endpoint comes back: every call is delivered, and what it received is the API's call
        // without `delivery`: one shape.
        let received = "\(recordsDir)/received.jsonl"
        try RecordDeliveryTests.receiverScript.write(toFile: "\(recordsDir)/receiver.py", atomically: true, encoding: .utf8)
        let receiver = try TestProcess("python3", ["\(recordsDir)/receiver.py", "\(reportPort)", received], in: recordsDir, name: "receiver")
        defer { receiver.stop() }
        var delivered: [[String: Any]] = []
        let allDelivered = TestEnvironment.waitUntil(seconds: 30) {
            delivered = (try? kiosk.curl("GET", "/v1/calls", token: Self.goodToken).json["calls"] as? [[String: Any]]) ?? []
            return delivered.count == 6 && delivered.allSatisfy { ($0["delivery"] as? [String: Any])?["state"] as? String == "delivered" }
        }
        #expect(allDelivered, "\(delivered.map { $0["delivery"] ?? "?" })")
        let posts = ((try? String(contentsOfFile: received, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(posts.count == 6)
        for call in delivered {
            let delivery = call["delivery"] as? [String: Any]
            #expect(Self.rfc3339(delivery?["deliveredAt"]) != nil && delivery?["lastError"] == nil, "\(call)")
            var shape = call
            shape["delivery"] = nil
            let body = posts.first { $0["key"] as? String == call["id"] as? String }?["body"] as? [String: Any]
            // Compared as canonical JSON (sorted keys): Foundation on Linux does not compare nested dictionaries.
            func canonical(_ object: [String: Any]?) -> String? {
                object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(canonical(body) != nil && canonical(body) == canonical(shape), "API \(shape)\nPOST \(body ?? [:])")
        }
        #expect(kiosk.daemon.isRunning)
    }

    /// A kiosk whose records database cannot be opened still serves; `/v1/calls` says why it has none.
    @Test func withoutARecordsDatabaseCallsAnswers503AndSaysWhy() throws {
        let kiosk = try Kiosk("fleet-calls-none", records: #"{ "database": "/nonexistent/kioskd-records/records.sqlite" }"#)
        defer { kiosk.stop() }
        let none = try kiosk.curl("GET", "/v1/calls", token: Self.goodToken)
        #expect(none.status == 503, "\(none.body)")
        #expect(none.json["error"] as? String == "unavailable")
        #expect((none.json["message"] as? String)?.contains("/nonexistent/kioskd-records/records.sqlite") == true, "\(none.body)")
        // Parameters are still checked first.
        #expect(try kiosk.curl("GET", "/v1/calls?limit=0", token: Self.goodToken).status == 400)
        let page = try kiosk.curl("GET", "/", token: Self.goodToken)
        #expect(page.status == 200 && page.body.contains("records database /nonexistent/kioskd-records/records.sqlite is not open"), "\(page.body)")
    }
}
