import Testing
@testable import Control

@Suite struct ControlValueTests {
    @Test func jsonRoundTripKeepsKeyOrderAndTypes() throws {
        let value: ControlValue = ["zeta": 1, "alpha": [true, false, .null], "name": "Zürich 北京 \"q\" \\ \n\t\u{1}",
                                   "pi": 3.25, "nested": ["b": -7, "a": []], "big": .int(Int.max)]
        let text = value.json
        #expect(!text.contains("\n"))  // one line on the wire
        let back = try ControlValue(parsing: text)
        #expect(back == value)
        #expect(back.objectPairs?.map(\.0) == ["zeta", "alpha", "name", "pi", "nested", "big"])
        #expect(try ControlValue(parsing: value.prettyJSON) == value)
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let value = try ControlValue(parsing: #"{"s":"a\u00e9\ud83d\ude00\/x","n":-1.5e2,"i":0}"#)
        #expect(value["s"]?.string == "aé😀/x")
        #expect(value["n"]?.double == -150)
        #expect(value["i"] == .int(0))
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "01x", "{\"a\":1} trailing", "\"\\ud800\"",
        "\"bad \\q escape\"", "-", "1.", "\"tab\there\"",
    ])
    func malformedTextIsAnErrorNotACrash(_ text: String) {
        #expect(throws: ControlJSONError.self) { try ControlValue(parsing: text) }
    }

    @Test func deepNestingIsRefused() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = #expect(throws: ControlJSONError.self) { try ControlValue(parsing: text) }
        #expect(error?.problem.contains("nested deeper") == true)
    }
}

@Suite struct ControlRequestTests {
    func decode(_ text: String) -> ControlRequest.Decoded {
        ControlRequest.decode(Array(text.utf8))
    }

    func failure(_ text: String) -> ControlResponse? {
        if case let .rejected(response) = decode(text) { return response }
        return nil
    }

    @Test func aRequestRoundTrips() throws {
        let request = ControlRequest(id: 42, command: .configSet, args: ["key": "camera.fps", "value": "15"])
        #expect(request.line == #"{"v":1,"id":42,"command":"config.set","args":{"key":"camera.fps","value":"15"}}"# + "\n")
        guard case let .request(decoded, command) = decode(String(request.line.dropLast())) else {
            Issue.record("did not decode")
            return
        }
        #expect(decoded == request)
        #expect(command == .configSet)
    }

    @Test func argsMayBeLeftOut() throws {
        guard case let .request(request, command) = decode(#"{"v":1,"id":3,"command":"status"}"#) else {
            Issue.record("did not decode")
            return
        }
        #expect(command == .status && request.args == [:])
    }

    @Test func anUnknownVersionGetsAClearErrorWithTheID() throws {
        let response = try #require(failure(#"{"v":2,"id":9,"command":"status"}"#))
        #expect(response.id == 9)
        #expect(response.outcome == .failure(ControlFailure(.unsupportedVersion,
                                                            "protocol version 2 is not supported; this daemon speaks version 1")))
    }

    @Test func anUnknownCommandIsNamedWithTheKnownOnes() throws {
        let response = try #require(failure(#"{"v":1,"id":5,"command":"reboot","args":{}}"#))
        guard case let .failure(f) = response.outcome else { Issue.record("not a failure"); return }
        #expect(response.id == 5 && f.code == .unknownCommand)
        #expect(f.message.hasPrefix("unknown command 'reboot' (known: status, devices, version, test.camera"))
    }

    @Test(arguments: [
        (#"not json"#, nil as Int?, ControlFailure.Code.badRequest),
        (#"[1,2]"#, nil, .badRequest),
        (#"{"id":1,"command":"status"}"#, 1, .badRequest),
        (#"{"v":1,"command":"status"}"#, nil, .badRequest),
        (#"{"v":1,"id":"7","command":"status"}"#, nil, .badRequest),
        (#"{"v":1,"id":7}"#, 7, .badRequest),
        (#"{"v":1,"id":7,"command":3}"#, 7, .badRequest),
        (#"{"v":1,"id":7,"command":"status","args":[]}"#, 7, .badRequest),
        (#"{"v":"1","id":7,"command":"status"}"#, 7, .unsupportedVersion),
    ])
    func badRequestsGetAnErrorReply(_ text: String, _ id: Int?, _ code: ControlFailure.Code) throws {
        let response = try #require(failure(text))
        #expect(response.id == id)
        guard case let .failure(f) = response.outcome else { Issue.record("not a failure"); return }
        #expect(f.code == code, "\(f.message)")
        #expect(!f.message.isEmpty)
        // The error reply itself is a valid reply line.
        #expect(try ControlResponse(parsing: Array(response.line.dropLast().utf8)) == response)
    }
}

@Suite struct ControlResponseTests {
    @Test func repliesEncodeAndDecode() throws {
        let ok = ControlResponse.result(id: 3, ["state": "idle", "uptimeSeconds": 12])
        #expect(ok.line == #"{"v":1,"id":3,"ok":true,"result":{"state":"idle","uptimeSeconds":12}}"# + "\n")
        #expect(try ControlResponse(parsing: Array(ok.line.utf8.dropLast())) == ok)

        let more = ControlResponse.result(id: 4, ["lines": ["a"]], more: true)
        #expect(more.line.contains(#""more":true"#))
        #expect(try ControlResponse(parsing: Array(more.line.utf8)) == more)

        let no = ControlResponse.failure(id: 5, ControlFailure(.busy, "a customer is in a call"))
        #expect(no.line == #"{"v":1,"id":5,"ok":false,"error":{"code":"busy","message":"a customer is in a call"}}"# + "\n")
        #expect(try ControlResponse(parsing: Array(no.line.utf8)) == no)
    }

    @Test func aReplyOfAnotherVersionIsRefusedByTheClient() {
        #expect(throws: ControlJSONError.self) { try ControlResponse(parsing: Array(#"{"v":2,"id":1,"ok":true}"#.utf8)) }
        #expect(throws: ControlJSONError.self) { try ControlResponse(parsing: Array(#"{"v":1,"id":1}"#.utf8)) }
    }
}

@Suite struct ControlLineBufferTests {
    @Test func linesAreSplitAcrossReads() {
        var buffer = ControlLineBuffer()
        #expect(buffer.append(Array("{\"a\":".utf8)) == [])
        #expect(buffer.append(Array("1}\r\n\n{\"b\":2}\n{\"c\"".utf8)) == [.line(Array("{\"a\":1}".utf8)), .line(Array("{\"b\":2}".utf8))])
        #expect(buffer.pendingCount == 4)
    }

    @Test func aTooLongLineIsReportedOnceAndSkippedToItsEnd() {
        var buffer = ControlLineBuffer(limit: 8)
        var items = buffer.append(Array("0123456789abcdef".utf8))
        #expect(items == [.tooLong])
        items = buffer.append(Array("more\nok\n".utf8))
        #expect(items == [.line(Array("ok".utf8))])
    }
}
