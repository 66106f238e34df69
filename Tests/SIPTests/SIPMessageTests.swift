import Testing
import SIP

@Suite struct SIPMessageTests {
    /// Parses the serialized form and drops the Content-Length the serializer always adds.
    private func reparsed(_ message: SIPMessage) throws -> SIPMessage {
        switch try SIPMessageParser.parse(message.serialized()) {
        case .request(var request):
            request.headers.remove("Content-Length")
            return .request(request)
        case .response(var response):
            response.headers.remove("Content-Length")
            return .response(response)
        }
    }

    private func invite() throws -> SIPRequest {
        try #require(try SIPMessageParser.parse(Wire.invite).request)
    }

    @Test func typicalInviteAccessors() throws {
        let request = try invite()
        #expect(request.method == .invite)
        #expect(request.requestURI.description == "sip:support@cc.example.com")
        #expect(request.callID == "a84b4c76e66710@kiosk-17.example.com")
        #expect(request.cseq == SIPCSeq(sequenceNumber: 314_159, method: .invite))
        #expect(request.from?.tag == "1928301774")
        #expect(request.from?.displayName == "Kiosk 17")
        #expect(request.to?.tag == nil)
        #expect(request.topVia?.branch == "z9hG4bK776asdhds")
        #expect(request.topVia?.rport == .requested)
        #expect(request.vias.count == 1)
        #expect(request.contacts.first?.uri.port == 5060)
        #expect(request.maxForwards == 70)
        #expect(request.contentType == .sdp)
        #expect(request.contentLength == 549)
        #expect(request.body.count == 549)
        #expect(request.headers.count == 12)
        #expect(request.headers.values("Supported") == ["replaces", "timer"])
    }

    @Test func roundTripIsExact() throws {
        let request = try invite()
        #expect(request.serialized() == Wire.invite)
        #expect(try SIPMessageParser.parse(request.serialized()) == .request(request))
    }

    @Test func serializationWritesTheRealContentLength() throws {
        var request = try invite()
        request.body = Array("v=0\r\n".utf8)
        let text = Wire.text(request.serialized())
        #expect(text.contains("\r\nContent-Length: 5\r\n\r\nv=0\r\n"))
        #expect(!text.contains("549"))

        // Compact name kept; duplicate lengths collapse; a missing one is appended.
        var headers: SIPHeaders = ["Via": "SIP/2.0/UDP h;branch=z9hG4bK1", "l": "99", "Content-Length": "3"]
        headers.add("Call-ID", "x")
        let bare = SIPRequest(method: .options, requestURI: SIPURI(host: "h"), headers: headers, body: [1, 2])
        #expect(Wire.text(bare.serialized()) == "OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nl: 2\r\nCall-ID: x\r\n\r\n\u{01}\u{02}")
        let none = SIPResponse(statusCode: 200)
        #expect(Wire.text(none.serialized()) == "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func lineBreaksInValuesCannotInjectHeaders() throws {
        var headers: SIPHeaders = [:]
        headers.add("Subject", "hi\r\nX-Evil: 1")
        let response = SIPResponse(statusCode: 200, reasonPhrase: "OK\r\nX-Evil: 2", headers: headers)
        let text = Wire.text(response.serialized())
        #expect(!text.contains("\r\nX-Evil"))
        #expect(text.contains("Subject: hi  X-Evil: 1\r\n"))
    }

    @Test func responseToARequest() throws {
        var request = try invite()
        request.headers.add("Via", "SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2, SIP/2.0/TCP edge.example.com;branch=z9hG4bK3")
        request.headers.add("Timestamp", "54")

        let ringing = SIPResponse(replyingTo: request, statusCode: 180, toTag: "as83kd")
        #expect(ringing.statusLine == "SIP/2.0 180 Ringing")
        #expect(ringing.headers.fieldValues("Via") == request.headers.fieldValues("Via"))
        #expect(ringing.vias.count == 3)
        #expect(ringing.from == request.from)
        #expect(ringing.to?.tag == "as83kd")
        #expect(ringing.to?.uri == request.to?.uri)
        #expect(ringing.callID == request.callID)
        #expect(ringing.cseq == request.cseq)
        #expect(ringing.headers["Timestamp"] == nil)
        #expect(ringing.headers.map(\.name) == ["Via", "Via", "From", "To", "Call-ID", "CSeq"])

        let trying = SIPResponse(replyingTo: request, statusCode: 100)
        #expect(trying.reasonPhrase == "Trying")
        #expect(trying.to?.tag == nil)
        #expect(trying.headers["Timestamp"] == "54")

        // A To that already has a tag keeps it.
        request.headers.set("To", "<sip:support@cc.example.com>;tag=existing")
        let ok = SIPResponse(replyingTo: request, statusCode: 200, reasonPhrase: "Fine", toTag: "other")
        #expect(ok.to?.tag == "existing")
        #expect(ok.reasonPhrase == "Fine")

        #expect(try reparsed(.response(ringing)) == .response(ringing))
    }

    @Test func standardReasonPhrases() {
        #expect(SIPResponse.standardReasonPhrase(for: 200) == "OK")
        #expect(SIPResponse.standardReasonPhrase(for: 401) == "Unauthorized")
        #expect(SIPResponse.standardReasonPhrase(for: 481) == "Call/Transaction Does Not Exist")
        #expect(SIPResponse.standardReasonPhrase(for: 487) == "Request Terminated")
        #expect(SIPResponse.standardReasonPhrase(for: 513) == "Message Too Large")
        #expect(SIPResponse.standardReasonPhrase(for: 299) == "Unknown")
    }

    @Test func ackForNonSuccessFinalResponse() throws {
        var request = try invite()
        request.headers.add("Route", "<sip:proxy.example.com;lr>")
        let busy = SIPResponse(replyingTo: request, statusCode: 486, toTag: "b1")
        let ack = try #require(request.ackForNonSuccessResponse(busy))
        #expect(ack.method == .ack)
        #expect(ack.requestURI == request.requestURI)
        #expect(ack.topVia == request.topVia)
        #expect(ack.vias.count == 1)
        #expect(ack.callID == request.callID)
        #expect(ack.from == request.from)
        #expect(ack.to?.tag == "b1")
        #expect(ack.cseq == SIPCSeq(sequenceNumber: 314_159, method: .ack))
        #expect(ack.routes.map(\.uri.host) == ["proxy.example.com"])
        #expect(ack.body.isEmpty)
        #expect(ack.maxForwards == 70)
        #expect(try reparsed(.request(ack)) == .request(ack))

        var options = request
        options.method = .options
        #expect(options.ackForNonSuccessResponse(busy) == nil)
    }

    @Test func cancelForPendingInvite() throws {
        let request = try invite()
        let cancel = try #require(request.cancel())
        #expect(cancel.method == .cancel)
        #expect(cancel.requestURI == request.requestURI)
        #expect(cancel.topVia == request.topVia)
        #expect(cancel.to == request.to)
        #expect(cancel.cseq == SIPCSeq(sequenceNumber: 314_159, method: .cancel))
        #expect(try reparsed(.request(cancel)) == .request(cancel))
        #expect(cancel.cancel() == nil)
    }

    @Test func builtRequestParses() throws {
        var headers = SIPHeaders()
        headers.add("Via", SIPVia(transport: "UDP", host: "2001:db8::5", port: 5060, parameters: [SIPParameter(name: "branch", value: "z9hG4bKv6"), SIPParameter(name: "rport")]).description)
        headers.add("Max-Forwards", "70")
        headers.add("From", SIPNameAddress(displayName: "Kiosk", uri: SIPURI(user: "kiosk", host: "2001:db8::5"), parameters: [SIPParameter(name: "tag", value: "f1")]).description)
        headers.add("To", SIPNameAddress(uri: SIPURI(user: "agent", host: "cc.example.com")).description)
        headers.add("Call-ID", "v6call")
        headers.add("CSeq", SIPCSeq(sequenceNumber: 1, method: .message).description)
        headers.add("Content-Type", "text/plain;charset=utf-8")
        let request = SIPRequest(method: .message, requestURI: SIPURI(user: "agent", host: "cc.example.com"), headers: headers, body: Array("Grüße".utf8))
        let text = Wire.text(request.serialized())
        #expect(text.contains("Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bKv6;rport\r\n"))
        #expect(text.contains("From: \"Kiosk\" <sip:kiosk@[2001:db8::5]>;tag=f1\r\n"))
        let parsed = try #require(try reparsed(.request(request)).request)
        #expect(parsed == request)
        #expect(parsed.topVia?.host == "2001:db8::5")
        #expect(parsed.from?.uri.hostIsIPv6 == true)
        #expect(String(decoding: parsed.body, as: UTF8.self) == "Grüße")
    }

    @Test func compactHeadersInAMessage() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            SIP/2.0 200 OK
            v: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1;received=203.0.113.1;rport=6000
            f: <sip:kiosk@example.com>;tag=1
            t: <sip:agent@example.com>;tag=2
            i: abc
            CSeq: 2 REGISTER
            m: <sip:kiosk@203.0.113.1:6000>;expires=3600
            c: application/sdp
            k: path, outbound
            l: 3

            v=0
            """))
        let response = try #require(message.response)
        #expect(response.topVia?.rport == .port(6000))
        #expect(response.topVia?.received == "203.0.113.1")
        #expect(response.contacts.first?.expires == 3600)
        #expect(response.contentType == .sdp)
        #expect(response.headers.values("Supported") == ["path", "outbound"])
        #expect(response.body == Array("v=0".utf8))
        #expect(response.isSuccess && response.isFinal && !response.isProvisional)
    }

    @Test func wildcardContact() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1
            From: <sip:kiosk@example.com>;tag=1
            To: <sip:kiosk@example.com>
            Call-ID: unreg
            CSeq: 3 REGISTER
            Contact: *
            Expires: 0
            Content-Length: 0


            """))
        let request = try #require(message.request)
        #expect(request.isWildcardContact)
        #expect(request.contacts.isEmpty)
        #expect(request.expires == 0)
    }

    @Test func datagramWithoutContentLengthTakesTheRest() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            MESSAGE sip:a@b SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:k@b>;tag=1
            To: <sip:a@b>
            Call-ID: m
            CSeq: 1 MESSAGE

            hello
            """))
        #expect(message.body == Array("hello".utf8))
        #expect(Wire.text(message.serialized()).contains("Content-Length: 5\r\n"))
    }
}
