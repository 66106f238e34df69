import Testing
import SIP

@Suite struct SIPHeaderValueTests {
    @Test func viaWithAllParameters() throws {
        let via = try SIPVia(parsing: "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;received=198.51.100.7;rport=40123;maddr=224.2.0.1;ttl=16;x-kiosk")
        #expect(via.transport == "UDP")
        #expect(via.host == "192.0.2.10")
        #expect(via.port == 5060)
        #expect(via.branch == "z9hG4bK776")
        #expect(via.hasRFC3261Branch)
        #expect(via.received == "198.51.100.7")
        #expect(via.rport == .port(40123))
        #expect(via.maddr == "224.2.0.1")
        #expect(via.ttl == 16)
        #expect(via.parameters.contains("x-kiosk"))
        #expect(via.description == "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;received=198.51.100.7;rport=40123;maddr=224.2.0.1;ttl=16;x-kiosk")
    }

    @Test func rportPresentWithoutValueDiffersFromAbsent() throws {
        var via = try SIPVia(parsing: "SIP/2.0/TCP kiosk.example.com;rport;branch=z9hG4bKx")
        #expect(via.rport == .requested)
        via.rport = .port(5070)
        via.received = "203.0.113.9"
        #expect(via.description == "SIP/2.0/TCP kiosk.example.com;rport=5070;branch=z9hG4bKx;received=203.0.113.9")
        via.rport = nil
        #expect(via.rport == nil)
        #expect(try SIPVia(parsing: "SIP/2.0/UDP h;branch=z9hG4bKx").rport == nil)
    }

    @Test func ipv6SentBy() throws {
        let via = try SIPVia(parsing: "SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK6;received=2001:db8::10")
        #expect(via.host == "2001:db8::9")
        #expect(via.port == 5061)
        #expect(via.received == "2001:db8::10")
        #expect(via.sentBy == "[2001:db8::9]:5061")
        #expect(try SIPVia(parsing: via.description) == via)
        #expect(SIPVia(transport: "UDP", host: "::1").description == "SIP/2.0/UDP [::1]")
    }

    @Test func viaListsAndErrors() throws {
        let list = try SIPVia.parseList("SIP/2.0/UDP a.example.com;branch=z9hG4bK1 , SIP/2.0/TCP b.example.com:5070 ;branch=z9hG4bK2")
        #expect(list.map(\.host) == ["a.example.com", "b.example.com"])
        #expect(list[1].port == 5070)
        for bad in ["", "SIP/2.0", "SIP/2.0/UDP", "SIP/2.0/UDP host;", "SIP/2.0/UDP host;;", "SIP/2.0/UDP host:port",
                    "SIP 2.0/UDP host", "SIP/2.0/UDP [::1", "SIP/2.0/UDP h;branch=", "SIP/2.0/UDP h junk"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try SIPVia.parseList(bad) }
        }
        #expect(throws: SIPParseError.self) { try SIPVia(parsing: "SIP/2.0/UDP a, SIP/2.0/UDP b") }
    }

    @Test func nameAddressForms() throws {
        let quoted = try SIPNameAddress(parsing: #""Kiosk \"17\"" <sip:kiosk@example.com;transport=tcp>;tag=abc;expires=60;q=0.7;+sip.instance="<urn:uuid:1>""#)
        #expect(quoted.displayName == #"Kiosk "17""#)
        #expect(quoted.uri.transport == "tcp")
        #expect(quoted.tag == "abc")
        #expect(quoted.expires == 60)
        #expect(quoted.q == 0.7)
        #expect(quoted.parameters["+sip.instance"] == #""<urn:uuid:1>""#)
        #expect(quoted.description == #""Kiosk \"17\"" <sip:kiosk@example.com;transport=tcp>;tag=abc;expires=60;q=0.7;+sip.instance="<urn:uuid:1>""#)
        #expect(try SIPNameAddress(parsing: quoted.description) == quoted)

        let token = try SIPNameAddress(parsing: "Kiosk  Seventeen <sip:k@example.com>")
        #expect(token.displayName == "Kiosk  Seventeen")

        // Bare addr-spec: parameters after it are the header's, not the URI's.
        let bare = try SIPNameAddress(parsing: "sip:kiosk@example.com;tag=xyz;transport=tcp")
        #expect(bare.uri.parameters.isEmpty)
        #expect(bare.tag == "xyz")
        #expect(bare.parameters["transport"] == "tcp")
        #expect(bare.description == "<sip:kiosk@example.com>;tag=xyz;transport=tcp")

        let bracketed = try SIPNameAddress(parsing: "<sip:kiosk@example.com;transport=tcp>;tag=xyz")
        #expect(bracketed.uri.transport == "tcp")
        #expect(bracketed.parameters.count == 1)

        let ipv6 = try SIPNameAddress(parsing: "<sip:k@[2001:db8::1]:5060>")
        #expect(ipv6.uri.host == "2001:db8::1")

        var edited = bare
        edited.tag = "new"
        edited.displayName = "A \\ B"
        #expect(edited.description == #""A \\ B" <sip:kiosk@example.com>;tag=new;transport=tcp"#)
    }

    /// Who a MESSAGE is from, as the chat shows it: the display name, else the user part.
    @Test func senderName() throws {
        #expect(try SIPNameAddress(parsing: #""Anna Smith" <sip:agent-7@cc.example.org>;tag=1"#).senderName == "Anna Smith")
        #expect(try SIPNameAddress(parsing: #""王丽" <sip:wang@cc.example.org>"#).senderName == "王丽")
        #expect(try SIPNameAddress(parsing: #""  " <sip:agent-7@cc.example.org>"#).senderName == "agent-7")
        #expect(try SIPNameAddress(parsing: "<sip:agent-7@cc.example.org>;tag=2").senderName == "agent-7")
        #expect(try SIPNameAddress(parsing: "<sip:cc.example.org>").senderName == nil)
    }

    @Test func nameAddressListsAndErrors() throws {
        let list = try SIPNameAddress.parseList(#""A, B" <sip:a@example.com>, sip:b@example.com;q=0.1 , <sip:c@example.com>"#)
        #expect(list.map { $0.uri.user } == ["a", "b", "c"])
        #expect(list[0].displayName == "A, B")
        for bad in ["", "\"open <sip:a@b>", "Bell, A <sip:a@b>", "< sip:a@b >", "<sip:a@b", "sip:a@b?x=y",
                    "<sip:a@b>;", "<sip:a@b>;tag=", "<sip:a@b> junk", "\"name\" sip:a@b", "<mailto:a@b>"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try SIPNameAddress.parseList(bad) }
        }
    }

    @Test func cseq() throws {
        #expect(try SIPCSeq(parsing: "0009 INVITE") == SIPCSeq(sequenceNumber: 9, method: .invite))
        #expect(try SIPCSeq(parsing: " 4294967295\tBYE ") == SIPCSeq(sequenceNumber: .max, method: .bye))
        #expect(SIPCSeq(sequenceNumber: 7, method: .extension("PUBLISH")).description == "7 PUBLISH")
        for bad in ["", "INVITE", "1", "1INVITE", "4294967296 INVITE", "-1 INVITE", "1 INVITE x", "1 IN<VITE"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try SIPCSeq(parsing: bad) }
        }
    }

    @Test func methods() {
        let all: [SIPMethod] = [.invite, .ack, .bye, .cancel, .options, .register, .message, .info, .update, .prack, .subscribe, .notify, .refer]
        for method in all {
            #expect(SIPMethod(method.rawValue) == method)
            #expect(method.isValidToken)
        }
        #expect(SIPMethod("invite") == .extension("invite"))
        #expect(SIPMethod("invite") != .invite)
        #expect(SIPMethod.extension("INVITE") == .invite)
        #expect(!SIPMethod.extension("BAD METHOD").isValidToken)
    }

    @Test func mediaType() throws {
        let type = try SIPMediaType(parsing: "Application/SDP ; charset=utf-8")
        #expect(type.matches(.sdp))
        #expect(type.parameters["charset"] == "utf-8")
        #expect(type.description == "Application/SDP;charset=utf-8")
        #expect(throws: SIPParseError.self) { try SIPMediaType(parsing: "application") }
        #expect(throws: SIPParseError.self) { try SIPMediaType(parsing: "application/sdp junk") }
    }
}
