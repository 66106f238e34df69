import Testing
import SIP

@Suite struct SIPHeadersTests {
    @Test func lookupIgnoresCaseAndUnderstandsCompactForms() {
        var headers = SIPHeaders()
        headers.add("v", "SIP/2.0/UDP a;branch=z9hG4bK1")
        headers.add("VIA", "SIP/2.0/UDP b;branch=z9hG4bK2")
        headers.add("i", "abc@host")
        headers.add("l", "0")
        headers.add("X-Kiosk-Id", "17")
        #expect(headers["Via"] == "SIP/2.0/UDP a;branch=z9hG4bK1")
        #expect(headers["v"] == "SIP/2.0/UDP a;branch=z9hG4bK1")
        #expect(headers["call-id"] == "abc@host")
        #expect(headers["Content-Length"] == "0")
        #expect(headers["x-kiosk-id"] == "17")
        #expect(headers.values("via").count == 2)
        #expect(headers.map(\.name) == ["v", "VIA", "i", "l", "X-Kiosk-Id"])
        #expect(headers.map(\.canonicalName) == ["Via", "Via", "Call-ID", "Content-Length", "X-Kiosk-Id"])
    }

    @Test(arguments: [
        ("i", "Call-ID"), ("m", "Contact"), ("e", "Content-Encoding"), ("l", "Content-Length"),
        ("c", "Content-Type"), ("f", "From"), ("s", "Subject"), ("k", "Supported"), ("t", "To"),
        ("v", "Via"), ("o", "Event"), ("r", "Refer-To"), ("b", "Referred-By"), ("u", "Allow-Events"),
        ("x", "Session-Expires"), ("a", "Accept-Contact"), ("j", "Reject-Contact"),
        ("d", "Request-Disposition"), ("y", "Identity"), ("n", "Identity-Info"),
        ("I", "Call-ID"), ("CSEQ", "CSeq"), ("www-authenticate", "WWW-Authenticate"),
    ])
    func compactAndCanonicalNames(_ name: String, _ canonical: String) {
        #expect(SIPHeaders.canonicalName(name) == canonical)
        var headers = SIPHeaders()
        headers.add(name, "value")
        #expect(headers[canonical] == "value")
    }

    @Test func listSplittingRespectsQuotesAndAngleBrackets() {
        var headers = SIPHeaders()
        headers.add("Contact", #""Doe, John" <sip:john@example.com;x=a,b>;q=0.5, <sip:jane@example.com?h=1,2>"#)
        headers.add("Contact", #""Escaped \", quote" <sip:e@example.com>,,  "#)
        headers.add("Allow", "INVITE,ACK , BYE")
        #expect(headers.values("m") == [
            #""Doe, John" <sip:john@example.com;x=a,b>;q=0.5"#,
            "<sip:jane@example.com?h=1,2>",
            #""Escaped \", quote" <sip:e@example.com>"#,
        ])
        #expect(headers.values("Allow") == ["INVITE", "ACK", "BYE"])
        #expect(headers.fieldValues("Contact").count == 2)
    }

    @Test func nonListHeadersAreReturnedWhole() {
        var headers = SIPHeaders()
        let challenge = #"Digest realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", qop="auth,auth-int", algorithm=MD5"#
        headers.add("WWW-Authenticate", challenge)
        headers.add("Proxy-Authenticate", challenge)
        headers.add("Authorization", #"Digest username="bob", realm="biloxi.com", uri="sip:bob@biloxi.com""#)
        headers.add("Proxy-Authorization", "Digest a=1, b=2")
        headers.add("Date", "Sat, 13 Nov 2010 23:29:00 GMT")
        headers.add("X-Kiosk-Location", "Hall 2, Floor 1, Gate B")
        headers.add("Subject", "Hello, world")
        for name in ["WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization", "Date", "X-Kiosk-Location", "Subject"] {
            #expect(headers.values(name).count == 1, "\(name)")
            #expect(!SIPHeaders.isList(name))
        }
        #expect(headers.values("WWW-Authenticate") == [challenge])
        #expect(SIPHeaders.isList("Via") && SIPHeaders.isList("Supported") && SIPHeaders.isList("P-Unknown"))
    }

    @Test func addSetRemovePrepend() {
        var headers: SIPHeaders = ["Via": "a", "To": "t", "v": "b", "Route": "r1"]
        headers.prepend("Via", "top")
        #expect(headers.fieldValues("Via") == ["top", "a", "b"])
        headers.set("VIA", "only")
        #expect(headers.fieldValues("Via") == ["only"])
        #expect(headers.map(\.name) == ["VIA", "To", "Route"])
        headers["route"] = "r2"
        #expect(headers["Route"] == "r2")
        headers.remove("t")
        #expect(!headers.contains("To"))
        headers["Route"] = nil
        #expect(headers.count == 1)
        headers.add("Contact", "<sip:a@b>")
        #expect(headers.contains("m"))
    }

    @Test func unfoldingJoinsWithOneSpace() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            OPTIONS sip:b@example.com SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:a@example.com>
            \t;tag=1
            To:
               <sip:b@example.com>
            Call-ID: c
            CSeq: 1 OPTIONS
            Subject:
            X-Note:   one  \n\t  two\u{20}\u{20}
            Content-Length: 0


            """))
        #expect(message.headers["From"] == "<sip:a@example.com> ;tag=1")
        #expect(message.headers["To"] == "<sip:b@example.com>")
        #expect(message.headers["Subject"] == "")
        #expect(message.headers["X-Note"] == "one two")
    }
}
