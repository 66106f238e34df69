import SIP
import Testing

/// `SIPDialog`'s routing (RFC 3261 §12.1.2, §12.2.1.1) as the call uses it.
struct CallDialogTests {
    func dialog(recordRoute: [String], contact: String = "sip:agent@10.0.0.7:5062") throws -> SIPDialog {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/UDP 192.0.2.10:5080;branch=z9hG4bK1;rport")
        headers.add("From", "<sip:kiosk@cc.example.org>;tag=k1")
        headers.add("To", "<sip:support@cc.example.org>")
        headers.add("Call-ID", "c1@kioskd")
        headers.add("CSeq", "5 INVITE")
        let invite = SIPRequest(method: .invite, requestURI: try SIPURI(parsing: "sip:support@cc.example.org"), headers: headers)
        var ok = SIPResponse(replyingTo: invite, statusCode: 200, toTag: "a1")
        for route in recordRoute { ok.headers.add("Record-Route", route) }
        ok.headers.add("Contact", "<\(contact)>")
        return try #require(SIPDialog(uacRequest: invite, response: ok))
    }

    @Test func aDialogFromA2xxTakesTagsTargetAndTheReversedRouteSet() throws {
        let d = try dialog(recordRoute: ["<sip:p2.example.org;lr>, <sip:p1.example.org;lr>"])
        #expect(d.state == .confirmed && d.id == SIPDialogID(callID: "c1@kioskd", localTag: "k1", remoteTag: "a1"))
        #expect(d.routeSet.map(\.uri.host) == ["p1.example.org", "p2.example.org"])
        #expect(d.remoteTarget.description == "sip:agent@10.0.0.7:5062" && d.localSequence == 5 && d.remoteSequence == nil)
    }

    @Test func withoutRecordRouteInDialogRequestsGoThroughTheOutboundProxyOnlyWhenAsked() throws {
        let d = try dialog(recordRoute: [])
        let proxy = try SIPURI(parsing: "sip:127.0.0.1:5060")
        let direct = d.makeRequest(.bye, sequence: 6, via: "SIP/2.0/UDP 192.0.2.10:5080;branch=z9hG4bK2")
        #expect(direct.headers["Route"] == nil && SIPDialog.nextHop(of: direct).description == "sip:agent@10.0.0.7:5062")
        let viaProxy = d.makeRequest(.bye, sequence: 6, via: "SIP/2.0/UDP 192.0.2.10:5080;branch=z9hG4bK2", preloadedRoute: proxy)
        #expect(viaProxy.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr>"])
        #expect(viaProxy.requestURI.description == "sip:agent@10.0.0.7:5062")
        #expect(viaProxy.headers["CSeq"] == "6 BYE" && viaProxy.headers["To"] == "<sip:support@cc.example.org>;tag=a1")
    }

    @Test func aProxyThatRecordRoutedIsThePathAndTheOutboundProxyIsNotAddedAgain() throws {
        // Configured by name, recorded by address (as Kamailio does): the recorded route alone.
        let d = try dialog(recordRoute: ["<sip:127.0.0.1:5060;r2=on;lr>, <sip:127.0.0.1:5061;transport=tls;r2=on;lr>"])
        let bye = d.makeRequest(.bye, sequence: 6, via: "SIP/2.0/TLS 192.0.2.10:5080;branch=z9hG4bK3",
                                preloadedRoute: try SIPURI(parsing: "sip:sbc.example.org:5061;transport=tls"))
        #expect(bye.headers.fieldValues("Route") == ["<sip:127.0.0.1:5061;transport=tls;r2=on;lr>", "<sip:127.0.0.1:5060;r2=on;lr>"])
        #expect(SIPDialog.nextHop(of: bye).description == "sip:127.0.0.1:5061;transport=tls;r2=on;lr")
    }

    @Test func aStrictFirstRouteBecomesTheRequestURIAndTheTargetGoesLast() throws {
        let d = try dialog(recordRoute: ["<sip:p2.example.org;lr>", "<sip:old-proxy.example.org;transport=udp>"])
        let (uri, routes) = d.requestTarget()
        #expect(uri.description == "sip:old-proxy.example.org;transport=udp")
        #expect(routes.map(\.description) == ["<sip:p2.example.org;lr>", "<sip:agent@10.0.0.7:5062>"])
    }
}
