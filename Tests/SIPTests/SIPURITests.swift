import Testing
import SIP

@Suite struct SIPURITests {
    @Test func fullSIPURIParsesAndSerializesBack() throws {
        let text = "sips:alice:secret@Atlanta.example.com:5061;transport=TLS;lr;maddr=239.255.255.1;ttl=15?subject=project%20x&priority=urgent"
        let uri = try SIPURI(parsing: text)
        #expect(uri.scheme == .sips)
        #expect(uri.user == "alice")
        #expect(uri.password == "secret")
        #expect(uri.host == "Atlanta.example.com")
        #expect(uri.port == 5061)
        #expect(uri.transport == "TLS")
        #expect(uri.parameters["TRANSPORT"] == "TLS")
        #expect(uri.isLooseRouter)
        #expect(uri.maddr == "239.255.255.1")
        #expect(uri.ttl == 15)
        #expect(uri.headers == [SIPURIHeader(name: "subject", value: "project%20x"), SIPURIHeader(name: "priority", value: "urgent")])
        #expect(uri.description == text)
    }

    @Test func ipv6HostIsStoredWithoutBrackets() throws {
        let uri = try SIPURI(parsing: "sip:kiosk@[2001:db8::1]:5080;transport=tcp")
        #expect(uri.host == "2001:db8::1")
        #expect(uri.hostIsIPv6)
        #expect(uri.port == 5080)
        #expect(uri.hostPort == "[2001:db8::1]:5080")
        #expect(uri.description == "sip:kiosk@[2001:db8::1]:5080;transport=tcp")

        let built = SIPURI(host: "::1", port: 5060)
        #expect(built.description == "sip:[::1]:5060")
        #expect(try SIPURI(parsing: built.description) == built)

        let mapped = try SIPURI(parsing: "sip:[::ffff:192.0.2.1]")
        #expect(mapped.host == "::ffff:192.0.2.1")
        #expect(mapped.port == nil)
    }

    @Test func schemeIsCaseInsensitiveAndHostOnlyWorks() throws {
        let uri = try SIPURI(parsing: "SIP:example.com")
        #expect(uri.scheme == .sip)
        #expect(uri.user == nil)
        #expect(uri.description == "sip:example.com")
    }

    @Test func telURI() throws {
        let uri = try SIPURI(parsing: "tel:+1-201-555-0123;phone-context=example.com")
        #expect(uri.scheme == .tel)
        #expect(uri.user == "+1-201-555-0123")
        #expect(uri.parameters["phone-context"] == "example.com")
        #expect(uri.description == "tel:+1-201-555-0123;phone-context=example.com")
        #expect(uri.isEquivalent(to: try SIPURI(parsing: "tel:+1.201.555.0123;PHONE-CONTEXT=example.com")))
    }

    @Test func unsupportedSchemeIsTold() {
        #expect(throws: SIPParseError.unsupportedURIScheme(scheme: "mailto", context: nil)) {
            try SIPURI(parsing: "mailto:alice@example.com")
        }
        #expect(throws: SIPParseError.unsupportedURIScheme(scheme: "https", context: nil)) {
            try SIPURI(parsing: "https://example.com/cert")
        }
    }

    @Test(arguments: [
        "", "sip", "sip:", "<sip:a@b>", "sip:@example.com", "sip:a@", "sip:a@b:99999", "sip:a@b:x",
        "sip:a@[2001:db8::1", "sip:a@[zz]", "sip:a b@c", "sip:a@b;", "sip:a@b;=x", "sip:a@b?",
        "sip:a@b?x", "sip:a%4@b", "sip:a%GG@b", "sip:a@b c", "sip:a@b;x=y z", "1sip:a@b", "tel:",
        "sip:a@b>", "sip:a\"b@c",
    ])
    func malformedURIsThrow(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPURI(parsing: text) }
    }

    @Test func equivalenceFollowsRFC3261Section19_1_4() throws {
        func equivalent(_ a: String, _ b: String) throws -> Bool {
            try SIPURI(parsing: a).isEquivalent(to: SIPURI(parsing: b))
                && SIPURI(parsing: b).isEquivalent(to: SIPURI(parsing: a))
        }
        // The RFC's equal pairs.
        #expect(try equivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"))
        #expect(try equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"))
        #expect(try equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"))
        #expect(try equivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                               "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"))
        #expect(try equivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                               "sip:alice@atlanta.com?priority=urgent&subject=project%20x"))
        // The RFC's unequal pairs.
        #expect(try !equivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"))
        #expect(try !equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"))
        #expect(try !equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"))
        #expect(try !equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"))
        #expect(try !equivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"))
        #expect(try !equivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"))
        #expect(try !equivalent("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"))
        #expect(try !equivalent("sip:a@b", "sips:a@b"))
    }

    @Test func parameterEditing() throws {
        var uri = try SIPURI(parsing: "sip:a@b;lr;x=1;X=2")
        uri.transport = "tcp"
        uri.isLooseRouter = false
        uri.parameters["x"] = "3"
        #expect(uri.description == "sip:a@b;x=3;transport=tcp")
        uri.parameters["x"] = nil
        #expect(uri.description == "sip:a@b;transport=tcp")
    }
}
