import Testing
import SIP

/// RFC 4475 §3.1.2 and §3.3: messages to reject, and what a UAS must be able to answer with.
/// Messages are the RFC's, with "\n" written for CRLF.
@Suite struct TortureInvalidTests {
    /// Parses `text`, expecting a rejection; returns the error.
    private func rejection(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> SIPParseError? {
        do {
            let message = try SIPMessageParser.parse(Wire.bytes(text))
            Issue.record("parsed: \(message)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// §3.1.2.1 badinv01: empty Via and Contact parameters.
    @Test func badinv01() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=134161461246
            Max-Forwards: 7
            Call-ID: badinv01.0ha0isndaksdjasdf3234nas
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.15;;,;,,
            Contact: "Joe" <sip:joe@example.org>;;;;
            Content-Length: 152
            Content-Type: application/sdp


            """ + Wire.sdp("192.0.2.15")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad Via")
        // The answer goes back along the (textual) Via with the dialog fields copied.
        let response = try #require(error.response(toTag: "x1"))
        #expect(response.statusCode == 400)
        #expect(response.reasonPhrase == "Bad Via")
        #expect(response.callID == "badinv01.0ha0isndaksdjasdf3234nas")
        #expect(response.headers["To"] == "sip:j.user@example.com;tag=x1")
        #expect(response.headers["CSeq"] == "8 INVITE")
    }

    /// §3.1.2.2 clerr: Content-Length larger than the datagram → 400 (truncated message).
    @Test func clerr() throws {
        let text = """
            INVITE sip:user@example.com SIP/2.0
            Max-Forwards: 80
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=93942939o2
            Contact: <sip:caller@hungry.example.net>
            Call-ID: clerr.0ha0isndaksdjweiafasdk3
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523
            Content-Type: application/sdp
            Content-Length: 9999


            """ + Wire.sdp("192.0.2.155")
        let error = try #require(rejection(text))
        #expect(error == .badRequest(reason: "Bad Content-Length", context: error.context))
        #expect(error.context?.method == .invite)
        #expect(error.response()?.callID == "clerr.0ha0isndaksdjweiafasdk3")

        // On a stream the same message just is not complete yet.
        var framer = SIPStreamFramer()
        framer.append(Wire.bytes(text))
        #expect(try framer.next() == nil)
    }

    /// §3.1.2.3 ncl: negative Content-Length.
    @Test func ncl() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com SIP/2.0
            Max-Forwards: 254
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=32394234
            Call-ID: ncl.0ha0isndaksdj2193423r542w35
            CSeq: 0 INVITE
            Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw
            Contact: <sip:caller@example53.example.net>
            Content-Type: application/sdp
            Content-Length: -999


            """ + Wire.sdp("192.0.2.53")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad Content-Length")
    }

    /// §3.1.2.4 scalar02: CSeq past 2^32−1 and Max-Forwards past 255 in a request.
    @Test func scalar02() throws {
        let error = try #require(rejection("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
            To: <sip:user@example.com>
            From: <sip:user@example.com>;tag=239232jh3
            CSeq: 36893488147419103232 REGISTER
            Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
            Max-Forwards: 300
            Expires: 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            Contact: <sip:user@host129.example.com>
              ;expires=280297596632815
            Content-Length: 0


            """))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad CSeq")
        #expect(error.response()?.statusCode == 400)
    }

    /// scalar02's other fields one at a time: Max-Forwards past 255 is a 400; huge Expires
    /// values are clamped, not rejected.
    @Test func scalar02Fields() throws {
        let base = """
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
            To: <sip:user@example.com>
            From: <sip:user@example.com>;tag=239232jh3
            CSeq: 3 REGISTER
            Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32

            """
        let maxForwards = try #require(rejection(base + "Max-Forwards: 300\nContent-Length: 0\n\n"))
        #expect(maxForwards.reasonPhrase == "Bad Max-Forwards")

        let register = try #require(try SIPMessageParser.parse(Wire.bytes(base + """
            Expires: 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            Contact: <sip:user@host129.example.com>
              ;expires=280297596632815
            Content-Length: 0


            """)).request)
        #expect(register.expires == UInt32.max)
        #expect(register.contacts.first?.expires == UInt32.max)
        #expect(register.maxForwards == nil)  // absent, and tolerated
    }

    /// §3.1.2.5 scalarlg: a response with an oversize CSeq is dropped (no status code).
    @Test func scalarlg() throws {
        let error = try #require(rejection("""
            SIP/2.0 503 Service Unavailable
            Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
            To: <sip:user@example.com>
            From: <sip:other@example.net>;tag=2easdjfejw
            CSeq: 9292394834772304023312 OPTIONS
            Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
            Retry-After: 949302838503028349304023988
            Warning: 1812 overture "In Progress"
            Content-Length: 0


            """))
        #expect(error == .malformedResponse(reason: "Bad CSeq"))
        #expect(error.statusCode == nil)
        #expect(error.response() == nil)
    }

    /// §3.1.2.6 quotbal: unterminated quoted string in a display name.
    @Test func quotbal() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com SIP/2.0
            To: "Mr. J. User <sip:j.user@example.com>
            From: sip:caller@example.net;tag=93334
            Max-Forwards: 10
            Call-ID: quotbal.aksdj
            Contact: <sip:caller@host59.example.net>
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234
            Content-Type: application/sdp
            Content-Length: 152


            """ + Wire.sdp("192.0.2.15")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad To")
    }

    /// §3.1.2.7 ltgtruri: the Request-URI in angle brackets.
    @Test func ltgtruri() throws {
        let error = try #require(rejection("""
            INVITE <sip:user@example.com> SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=39291
            Max-Forwards: 23
            Call-ID: ltgtruri.1@192.0.2.5
            CSeq: 1 INVITE
            Via: SIP/2.0/UDP 192.0.2.5
            Contact: <sip:caller@host5.example.net>
            Content-Type: application/sdp
            Content-Length: 159


            """ + Wire.sdp("192.0.2.5", time: "3149328700 0")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad Request-URI")
    }

    /// §3.1.2.8 lwsruri: white space inside the Request-URI.
    @Test func lwsruri() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com; lr SIP/2.0
            To: sip:user@example.com;tag=3xfe-9921883-z9f
            From: sip:caller@example.net;tag=231413434
            Max-Forwards: 5
            Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423
            CSeq: 2130706432 INVITE
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395
            Contact: <sip:caller@host1.example.net>
            Content-Type: application/sdp
            Content-Length: 159


            """ + Wire.sdp("192.0.2.1", time: "3149328700 0")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Malformed Request-Line")
        #expect(error.context?.method == .invite)
        // To already has a tag, so none is added.
        #expect(error.response(toTag: "zz")?.headers["To"] == "sip:user@example.com;tag=3xfe-9921883-z9f")
    }

    /// §3.1.2.11 escruri: headers in a Request-URI.
    @Test func escruri() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=341518
            Max-Forwards: 7
            Contact: <sip:caller@host39923.example.net>
            Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5
            CSeq: 149209342 INVITE
            Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw
            Content-Type: application/sdp
            Content-Length: 150


            """ + Wire.sdp("192.0.2.1")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Request-URI Has Headers")
    }

    /// §3.1.2.13 regbadct: a URI with headers outside angle brackets.
    @Test func regbadct() throws {
        let error = try #require(rejection("""
            REGISTER sip:example.com SIP/2.0
            To: sip:user@example.com
            From: sip:user@example.com;tag=998332
            Max-Forwards: 70
            Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
            CSeq: 1 REGISTER
            Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw
            Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E
            l: 0


            """))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad Contact")
    }

    /// §3.1.2.14 badaspec: white space inside <...>.
    @Test func badaspec() throws {
        let error = try #require(rejection("""
            OPTIONS sip:user@example.org SIP/2.0
            Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234
            Max-Forwards: 70
            From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
            To: "Watson, Thomas" < sip:t.watson@example.org >
            Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
            Accept: application/sdp
            CSeq: 3923239 OPTIONS
            l: 0


            """))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad To")
    }

    /// §3.1.2.15 baddn: a display name with non-token characters must be quoted.
    @Test func baddn() throws {
        let error = try #require(rejection("""
            OPTIONS sip:t.watson@example.org SIP/2.0
            Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw
            Max-Forwards:      70
            From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43
            To:      Watson, Thomas <sip:t.watson@example.org>
            Call-ID: baddn.31415@c.example.com
            Accept: application/sdp
            CSeq:    3923239 OPTIONS
            l: 0


            """))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Bad From")
    }

    /// §3.1.2.16 badvers: SIP/7.0 → 505, answerable.
    @Test func badvers() throws {
        let error = try #require(rejection("""
            OPTIONS sip:t.watson@example.org SIP/7.0
            Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw
            Max-Forwards:     70
            From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
            To:      T. Watson <sip:t.watson@example.org>
            Call-ID: badvers.31417@c.example.com
            CSeq:    1 OPTIONS
            l: 0


            """))
        #expect(error.statusCode == 505)
        #expect(error == .versionNotSupported(version: "SIP/7.0", context: error.context))
        let response = try #require(error.response(toTag: "t1"))
        #expect(response.statusCode == 505)
        #expect(response.reasonPhrase == "Version Not Supported")
        #expect(response.headers["Via"] == "SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw")
        #expect(response.headers["To"] == "T. Watson <sip:t.watson@example.org>;tag=t1")
    }

    /// §3.1.2.17 mismatch01: CSeq method differs from the request method.
    @Test func mismatch01() throws {
        let error = try #require(rejection("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=34525
            Max-Forwards: 6
            Call-ID: mismatch01.dj0234sxdfl3
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
            l: 0


            """))
        #expect(error == .badRequest(reason: "CSeq Method Mismatch", context: error.context))
        #expect(error.context?.method == .options)
    }

    /// §3.1.2.18 mismatch02: the same with an unknown method.
    @Test func mismatch02() throws {
        let error = try #require(rejection("""
            NEWMETHOD sip:user@example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:caller@example.net;tag=34525
            Max-Forwards: 6
            Call-ID: mismatch02.dj0234sxdfl3
            CSeq: 8 INVITE
            Contact: <sip:caller@host.example.net>
            Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw
            Content-Type: application/sdp
            l: 138


            """ + Wire.sdp("192.0.2.1", time: "", sessionName: false)))
        #expect(error.reasonPhrase == "CSeq Method Mismatch")
        #expect(error.context?.method == .extension("NEWMETHOD"))
    }

    /// §3.1.2.19 bigcode: a response code that is not three digits is dropped.
    @Test func bigcode() throws {
        let error = try #require(rejection("""
            SIP/2.0 4294967301 better not break the receiver
            Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
            Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
            CSeq: 353494 INVITE
            From: <sip:user@example.com>;tag=39ansfi3
            To: <sip:user@example.edu>;tag=902jndnke3
            Content-Length: 0
            Contact: <sip:user@host105.example.com>


            """))
        #expect(error == .malformedResponse(reason: "Bad Status-Code"))
        #expect(error.statusCode == nil)
    }

    /// §3.3.1 insuf: To, From, Call-ID and Max-Forwards missing → 400, still answerable via Via.
    @Test func insuf() throws {
        let error = try #require(rejection("""
            INVITE sip:user@example.com SIP/2.0
            CSeq: 193942 INVITE
            Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
            Content-Type: application/sdp
            l: 152


            """ + Wire.sdp("192.0.2.95")))
        #expect(error.statusCode == 400)
        #expect(error.reasonPhrase == "Missing From")
        let response = try #require(error.response())
        #expect(response.headers["Via"] == "SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf")
        #expect(response.headers["CSeq"] == "193942 INVITE")
        #expect(response.headers["To"] == nil)
    }

    /// Each mandatory header, missing alone, is named in the 400.
    @Test func eachMissingHeaderIsNamed() throws {
        let lines = [
            ("Via", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa"),
            ("From", "From: <sip:a@example.com>;tag=1"),
            ("To", "To: <sip:b@example.com>"),
            ("Call-ID", "Call-ID: x@y"),
            ("CSeq", "CSeq: 1 OPTIONS"),
        ]
        for (name, _) in lines {
            let text = "OPTIONS sip:b@example.com SIP/2.0\n"
                + lines.filter { $0.0 != name }.map { $0.1 + "\n" }.joined() + "Content-Length: 0\n\n"
            let error = try #require(rejection(text))
            #expect(error.reasonPhrase == "Missing \(name)")
            #expect((error.response() != nil) == (name != "Via"))
        }
    }

    /// §3.3.2 unkscm and §3.3.3 novelsc: a Request-URI scheme this UA does not handle → 416.
    @Test func unkscmAndNovelsc() throws {
        for uri in ["nobodyKnowsThisScheme:totallyopaquecontent", "soap.beep://192.0.2.103:3002"] {
            let error = try #require(rejection("""
                OPTIONS \(uri) SIP/2.0
                To: sip:user@example.com
                From: sip:caller@example.net;tag=384
                Max-Forwards: 3
                Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34
                CSeq: 3923423 OPTIONS
                Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
                Content-Length: 0


                """))
            #expect(error.statusCode == 416)
            #expect(error.response(toTag: "q")?.statusCode == 416)
            #expect(error.response()?.reasonPhrase == "Unsupported URI Scheme")
        }
    }

    /// Start-line and header-section breakage.
    @Test func brokenFraming() throws {
        let tail = "Via: SIP/2.0/UDP h;branch=z9hG4bKa\nFrom: <sip:a@h>;tag=1\nTo: <sip:b@h>\nCall-ID: c\nCSeq: 1 OPTIONS\n"
        #expect(rejection("OPTIONS sip:b@h\n" + tail + "\n")?.reasonPhrase == "Malformed Request-Line")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0 extra\n" + tail + "\n")?.reasonPhrase == "Malformed Request-Line")
        #expect(rejection("OPTIONS sip:b@h HTTP/1.1\n" + tail + "\n")?.reasonPhrase == "Bad SIP-Version")
        #expect(rejection("OPT<IONS sip:b@h SIP/2.0\n" + tail + "\n")?.reasonPhrase == "Bad Method")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0\n" + tail)?.reasonPhrase == "Incomplete Header Section")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0\n no-field\n" + tail + "\n")?.reasonPhrase == "Bad Line Folding")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0\n" + tail + "Broken header\n\n")?.reasonPhrase == "Malformed Header Field")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0\n" + tail + "Content-Length: 12abc\n\n")?.reasonPhrase == "Bad Content-Length")
        #expect(rejection("OPTIONS sip:b@h SIP/2.0\n" + tail + "Call-ID: d\n\n")?.reasonPhrase == "Duplicate Header")
        #expect(rejection("SIP/2.0 OK\n" + tail + "\n") == .malformedResponse(reason: "Bad Status-Code"))
        #expect(rejection("SIP/2.0 099 Low\n" + tail + "\n") == .malformedResponse(reason: "Bad Status-Code"))
        #expect(rejection("SIP/3.0 200 OK\n" + tail + "\n") == .malformedResponse(reason: "Bad SIP-Version"))
        #expect(rejection("") != nil)
        #expect(rejection("\r\n\r\n") != nil)
    }

    /// Size and header-count limits: 513 for requests (answerable), a drop for responses.
    @Test func limits() throws {
        let request = "OPTIONS sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\nFrom: <sip:a@h>;tag=1\nTo: <sip:b@h>\nCall-ID: c\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n"
        let small = SIPMessageParser(maxMessageSize: 100)
        #expect(throws: SIPParseError.self) { try small.parse(Wire.bytes(request)) }
        do {
            _ = try small.parse(Wire.bytes(request))
        } catch {
            #expect(error.statusCode == 513)
            #expect(error.response()?.statusCode == 513)
        }
        let few = SIPMessageParser(maxHeaderCount: 4)
        do {
            _ = try few.parse(Wire.bytes(request))
            Issue.record("accepted too many headers")
        } catch {
            #expect(error.reasonPhrase == "Too Many Headers")
            #expect(error.context?.headers.count == 4)
        }
        #expect(throws: SIPParseError.self) {
            try SIPMessageParser.parse(Wire.bytes(request) + [UInt8](repeating: 0x41, count: 65_600))
        }
    }
}
