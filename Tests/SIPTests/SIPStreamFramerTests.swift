import Testing
import SIP

@Suite struct SIPStreamFramerTests {
    private let options = Wire.bytes("""
        OPTIONS sip:cc.example.com SIP/2.0
        Via: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bKopt
        From: <sip:kiosk@example.com>;tag=1
        To: <sip:cc.example.com>
        Call-ID: ka
        CSeq: 7 OPTIONS
        Content-Length: 0


        """)

    private func drain(_ framer: inout SIPStreamFramer) throws -> [SIPStreamEvent] {
        var events: [SIPStreamEvent] = []
        while let event = try framer.next() { events.append(event) }
        return events
    }

    @Test func messagesBackToBack() throws {
        var framer = SIPStreamFramer()
        framer.append(Wire.invite + options + Wire.invite)
        let events = try drain(&framer)
        #expect(events.count == 3)
        #expect(events[0] == .message(try SIPMessageParser.parse(Wire.invite)))
        #expect(events[1] == .message(try SIPMessageParser.parse(options)))
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func byteByByte() throws {
        var framer = SIPStreamFramer()
        var events: [SIPStreamEvent] = []
        for byte in Wire.invite + options {
            framer.append([byte])
            events += try drain(&framer)
        }
        #expect(events == [.message(try SIPMessageParser.parse(Wire.invite)), .message(try SIPMessageParser.parse(options))])
    }

    @Test func bodyBytesAreNotSearchedForTheEmptyLine() throws {
        // A body that itself holds CRLFCRLF must come out whole.
        var request = try #require(try SIPMessageParser.parse(options).request)
        request.body = Array("a\r\n\r\nb\r\n\r\n".utf8)
        var framer = SIPStreamFramer()
        framer.append(request.serialized() + options)
        let events = try drain(&framer)
        #expect(events.count == 2)
        #expect(events.first.flatMap { if case .message(let m) = $0 { m.body } else { nil } } == request.body)
    }

    @Test func keepAlives() throws {
        var framer = SIPStreamFramer()
        framer.append(Array("\r\n\r\n".utf8))
        #expect(try drain(&framer) == [.keepAlivePing])
        framer.append(Array("\r\n".utf8))
        #expect(try drain(&framer) == [.keepAlivePong])
        // A ping split after its first CRLF: the pong already went out, the ping still follows.
        framer.append(Array("\r\n".utf8))
        #expect(try drain(&framer) == [.keepAlivePing])
        // Split after the third byte: held until it is complete.
        framer.append(Array("\r\n\r".utf8))
        #expect(try framer.next() == nil)
        framer.append(Array("\n".utf8))
        #expect(try drain(&framer) == [.keepAlivePing])
        framer.append(Array("\r\n\r\n".utf8) + options + Array("\r\n".utf8))
        #expect(try drain(&framer) == [.keepAlivePing, .message(try SIPMessageParser.parse(options)), .keepAlivePong])
        framer.append(options)
        #expect(try drain(&framer) == [.message(try SIPMessageParser.parse(options))])
        framer.append(Array("\n\r".utf8))
        #expect(try framer.next() == nil)
        #expect(framer.bufferedByteCount == 1)
    }

    @Test func missingContentLengthIsAnAnswerableError() throws {
        var framer = SIPStreamFramer()
        let noLength = Wire.text(options).replacingOccurrences("Content-Length: 0\r\n", with: "")
        framer.append(Array(noLength.utf8))
        do {
            _ = try framer.next()
            Issue.record("accepted a message without Content-Length")
        } catch {
            #expect(error.reasonPhrase == "Missing Content-Length")
            #expect(error.response()?.callID == "ka")
        }
        #expect(framer.bufferedByteCount == 0)
        framer.append(options)
        #expect(try drain(&framer).count == 1)
    }

    @Test func aBadMessageWithKnownLengthIsSkipped() throws {
        var framer = SIPStreamFramer()
        let mismatch = Wire.text(options).replacingOccurrences("CSeq: 7 OPTIONS", with: "CSeq: 7 INVITE")
        framer.append(Array(mismatch.utf8) + options)
        #expect(throws: SIPParseError.self) { try framer.next() }
        #expect(try drain(&framer).count == 1)

        let badResponse = Wire.bytes("SIP/2.0 2000 OK\nContent-Length: 2\n\nxx")
        framer.append(badResponse + options)
        #expect(throws: SIPParseError.malformedResponse(reason: "Bad Status-Code")) { try framer.next() }
        #expect(try drain(&framer).count == 1)
    }

    @Test func oversizeMessagesAreRejectedAndSkipped() throws {
        var framer = SIPStreamFramer(parser: SIPMessageParser(maxMessageSize: 600))
        let big = Wire.text(options).replacingOccurrences("Content-Length: 0", with: "Content-Length: 1000")
        framer.append(Array(big.utf8) + [UInt8](repeating: 0x78, count: 1000) + options)
        do {
            _ = try framer.next()
            Issue.record("accepted an oversize message")
        } catch {
            #expect(error.statusCode == 513)
            #expect(error.response()?.statusCode == 513)
        }
        #expect(try drain(&framer) == [.message(try SIPMessageParser.parse(options))])

        // A header section that never ends is cut off at the limit.
        framer.append(Array("OPTIONS sip:a@b SIP/2.0\r\n".utf8) + [UInt8](repeating: 0x41, count: 700))
        #expect(throws: SIPParseError.self) { try framer.next() }
        #expect(framer.bufferedByteCount == 0)
    }
}

extension String {
    /// Foundation-free replace-all for tests.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
