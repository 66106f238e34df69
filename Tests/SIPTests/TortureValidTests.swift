import Testing
import SIP

/// RFC 4475 §3.1.1 and §3.2: well-formed (if unusual) messages a parser must accept, with what it
/// must read out of them. Messages are the RFC's, with "\n" written for CRLF.
@Suite struct TortureValidTests {
    private func request(_ text: String) throws -> SIPRequest {
        let message = try SIPMessageParser.parse(Wire.bytes(text))
        return try #require(message.request)
    }

    /// §3.1.1.1 wsinv: LWS everywhere, folding, compact forms, odd header names and values.
    @Test func wsinv() throws {
        let invite = try request("""
            INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
            TO :
             sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
            from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
              ;
              tag = 98asjd8
            MaX-fOrWaRdS: 0068
            Call-ID: wsinv.ndaksdj@192.0.2.1
            Content-Length   : 150
            cseq: 0009
              INVITE
            Via  : SIP  /   2.0
             /UDP
                192.0.2.2;branch=390skdjuw
            s :
            NewFangledHeader:   newfangled value
             continued newfangled value
            UnknownHeaderWithUnusualValue: ;;,,;;,;
            Content-Type: application/sdp
            Route:
             <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
            v:  SIP  / 2.0  / TCP     spindle.example.com   ;
              branch  =   z9hG4bK9ikj8  ,
             SIP  /    2.0   / UDP  192.168.255.111   ; branch=
             z9hG4bK30239
            m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
                  newvalue ;
              secondparam ; q = 0.33


            """ + Wire.sdp("192.0.2.4", origin: "192.0.2.3"))

        #expect(invite.method == .invite)
        #expect(invite.requestURI.description == "sip:vivekg@chair-dnrc.example.com;unknownparam")
        #expect(invite.requestURI.parameters.contains("UNKNOWNPARAM"))
        #expect(invite.headers.count == 14)

        let to = try #require(invite.to)
        #expect(to.uri.description == "sip:vivekg@chair-dnrc.example.com")
        #expect(to.tag == "1918181833n")
        #expect(to.displayName == nil)

        let from = try #require(invite.from)
        #expect(from.displayName == #"J Rosenberg \""#)
        #expect(from.uri.user == "jdrosen")
        #expect(from.tag == "98asjd8")

        #expect(invite.maxForwards == 68)
        #expect(invite.callID == "wsinv.ndaksdj@192.0.2.1")
        #expect(invite.cseq == SIPCSeq(sequenceNumber: 9, method: .invite))
        #expect(invite.headers["CSeq"] == "0009 INVITE")

        let vias = invite.vias
        #expect(vias.count == 3)
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias.map(\.host) == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(vias.map(\.branch) == ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"])
        #expect(invite.topVia?.host == "192.0.2.2")

        #expect(invite.headers["Subject"] == "")
        #expect(invite.headers["s"] == "")
        #expect(invite.headers["newfangledheader"] == "newfangled value continued newfangled value")
        #expect(invite.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        #expect(invite.contentType == .sdp)

        let route = try #require(invite.routes.first)
        #expect(route.uri.host == "services.example.com")
        #expect(route.uri.isLooseRouter)
        #expect(route.uri.parameters["unknownwith"] == "value")
        #expect(route.uri.parameters.contains("unknown-no-value"))
        #expect(route.uri.parameters["unknown-no-value"] == nil)

        let contact = try #require(invite.contacts.first)
        #expect(invite.contacts.count == 1)
        #expect(contact.displayName == #"Quoted string """#)
        #expect(contact.uri.description == "sip:jdrosen@example.com")
        #expect(contact.parameters["newparam"] == "newvalue")
        #expect(contact.parameters.contains("secondparam"))
        #expect(contact.q == 0.33)

        #expect(invite.body.count == 150)
        #expect(Wire.text(invite.body).hasPrefix("v=0\r\no=mhandley"))
    }

    /// §3.1.1.2 intmeth: every token character in method, header names and parameters; controls
    /// in a quoted display name; UTF-8 in values.
    @Test func intmeth() throws {
        let method = "!interesting-Method0123456789_*+`.%indeed'~"
        let message = try request("""
            \(method) sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
            Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
            To: "BEL:\\\u{07} NUL:\\\u{00} DEL:\\\u{7F}" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
            From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="работающий";tag=_token~1'+`*%!-.
            Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/"][?}{
            CSeq: 139122385 \(method)
            Max-Forwards: 255
            extensionHeader-!.%*+_`'~:\u{FEFF}大停電
            Content-Length: 0


            """)
        #expect(message.method == .extension(method))
        #expect(message.method.rawValue == method)
        #expect(message.requestURI.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(message.requestURI.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(message.requestURI.host == "example.com")
        #expect(message.topVia?.branch == "z9hG4bK-.!%66*_+`'~")
        #expect(message.to?.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        #expect(message.to?.uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        let from = try #require(message.from)
        #expect(from.displayName == "token1~` token2'+_ token3*%!.-")
        #expect(from.parameters["fromParam''~+*_!.-%"] == "\"работающий\"")
        #expect(from.tag == "_token~1'+`*%!-.")
        #expect(message.callID == #"intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{"#)
        #expect(message.cseq == SIPCSeq(sequenceNumber: 139_122_385, method: .extension(method)))
        #expect(message.maxForwards == 255)
        #expect(message.headers["extensionheader-!.%*+_`'~"] == "\u{FEFF}大停電")
        #expect(message.body.isEmpty)
    }

    /// §3.1.1.3 esc01: escapes are kept as written and compare equal to what they encode.
    @Test func esc01() throws {
        let message = try request("""
            INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
            To: sip:%75se%72@example.com
            From: <sip:I%20have%20spaces@example.net>;tag=938
            Max-Forwards: 87
            i: esc01.239409asdfakjkn23onasd0-3234
            CSeq: 234234 INVITE
            Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
            C: application/sdp
            Contact:
              <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
            Content-Length: 150


            """ + Wire.sdp("192.0.2.1"))
        #expect(message.requestURI.scheme == .sip)
        #expect(message.requestURI.user == "sips%3Auser%40example.com")
        #expect(message.requestURI.host == "example.net")
        let to = try #require(message.to?.uri)
        #expect(to.user == "%75se%72")
        #expect(to.isEquivalent(to: try SIPURI(parsing: "sip:user@example.com")))
        #expect(message.from?.uri.user == "I%20have%20spaces")
        #expect(message.callID == "esc01.239409asdfakjkn23onasd0-3234")
        #expect(message.contentType == .sdp)
        let contact = try #require(message.contacts.first?.uri)
        #expect(contact.user == "cal%6Cer")
        #expect(contact.parameters.contains("%6C%72"))
        #expect(contact.parameters["n%61me"] == "v%61lue%25%34%31")
        #expect(contact.isEquivalent(to: try SIPURI(parsing: "sip:caller@host5.example.net;lr;name=value%41")))
        #expect(message.body.count == 150)
    }

    /// §3.1.1.4 escnull: %00 in a user part is data, not a terminator.
    @Test func escnull() throws {
        let message = try request("""
            REGISTER sip:example.com SIP/2.0
            To: sip:null-%00-null@example.com
            From: sip:null-%00-null@example.com;tag=839923423
            Max-Forwards: 70
            Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
            CSeq: 14398234 REGISTER
            Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
            Contact: <sip:%00@host5.example.com>
            Contact: <sip:%00%00@host5.example.com>
            L:0


            """)
        #expect(message.method == .register)
        #expect(message.to?.uri.user == "null-%00-null")
        #expect(message.from?.tag == "839923423")
        #expect(message.contacts.map { $0.uri.user } == ["%00", "%00%00"])
        #expect(!message.contacts[0].uri.isEquivalent(to: message.contacts[1].uri))
        #expect(message.contentLength == 0)
    }

    /// §3.1.1.5 esc02: "%" in a method or header name is a token character, not an escape.
    @Test func esc02() throws {
        let message = try request("""
            RE%47IST%45R sip:registrar.example.com SIP/2.0
            To: "%Z%45" <sip:resource@example.com>
            From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23
            Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
            Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234
            CSeq: 29344 RE%47IST%45R
            Max-Forwards: 70
            Contact: <sip:alias1@host1.example.com>
            C%6Fntact: <sip:alias2@host2.example.com>
            Contact: <sip:alias3@host3.example.com>
            l: 0


            """)
        #expect(message.method == .extension("RE%47IST%45R"))
        #expect(message.method != .register)
        #expect(message.to?.displayName == "%Z%45")
        #expect(message.topVia?.branch == "z9hG4bK209%fzsnel234")
        #expect(message.contacts.map { $0.uri.host } == ["host1.example.com", "host3.example.com"])
        #expect(message.headers["C%6Fntact"] == "<sip:alias2@host2.example.com>")
    }

    /// §3.1.1.6 lwsdisp: no LWS between a token display name and "<".
    @Test func lwsdisp() throws {
        let message = try request("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: caller<sip:caller@example.com>;tag=323
            Max-Forwards: 70
            Call-ID: lwsdisp.1234abcd@funky.example.com
            CSeq: 60 OPTIONS
            Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
            l: 0


            """)
        #expect(message.from?.displayName == "caller")
        #expect(message.from?.uri.user == "caller")
        #expect(message.from?.tag == "323")
    }

    /// §3.1.1.7 longreq: long names, values and parameters, and 34 Via fields in every spelling.
    @Test func longreq() throws {
        func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }
        let viaNames = ["Via", "v", "V", "Via", "ViA", "VIa", "VIA", "via", "viA", "vIa", "vIA", "V ", "v ", "V  ", "v  ", "Via ", "Via  "]
        var vias = ""
        for (index, name) in viaNames.enumerated() {
            let colon = name.hasSuffix(" ") && name.count <= 2 ? ":  " : ": "
            vias += "\(name)\(colon)SIP/2.0/TCP sip\(33 - index).example.com\n"
        }
        for n in stride(from: 16, through: 1, by: -1) { vias += "Via: SIP/2.0/TCP sip\(n).example.com\n" }
        vias += "Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very\(repeated("long", 50))branchvalue\n"

        let text = "INVITE sip:user@example.com SIP/2.0\n"
            + "To: \"I have a user name of \(repeated("extreme", 10)) proportion\"<sip:user@example.com:6000;unknownparam1=very\(repeated("long", 20))value;longparam\(repeated("name", 25))=shortvalue;very\(repeated("long", 25))ParameterNameWithNoValue>\n"
            + "F: sip:\(repeated("amazinglylongcallername", 5))@example.net;tag=12\(repeated("982", 50))424;unknownheaderparam\(repeated("name", 20))=unknowheaderparam\(repeated("value", 15));unknownValueless\(repeated("paramname", 10))\n"
            + "Call-ID: longreq.one\(repeated("really", 20))longcallid\n"
            + "CSeq: 3882340 INVITE\n"
            + "Unknown-\(repeated("Long", 20))-Name: unknown-\(repeated("long", 20))-value; unknown-\(repeated("long", 20))-parameter-name = unknown-\(repeated("long", 20))-parameter-value\n"
            + vias
            + "Max-Forwards: 70\n"
            + "Contact: <sip:\(repeated("amazinglylongcallername", 5))@host5.example.net>\n"
            + "Content-Type: application/sdp\n"
            + "l: 150\n\n"
            + Wire.sdp("192.0.2.1")
        let message = try request(text)
        #expect(message.vias.count == 34)
        #expect(message.vias.first?.host == "sip33.example.com")
        #expect(message.vias.last?.branch == "very\(repeated("long", 50))branchvalue")
        #expect(message.vias.last?.received == "192.0.2.5")
        let to = try #require(message.to)
        #expect(to.displayName == "I have a user name of \(repeated("extreme", 10)) proportion")
        #expect(to.uri.port == 6000)
        #expect(to.uri.parameters["longparam\(repeated("name", 25))"] == "shortvalue")
        #expect(to.uri.parameters.contains("very\(repeated("long", 25))ParameterNameWithNoValue"))
        let from = try #require(message.from)
        #expect(from.tag == "12\(repeated("982", 50))424")
        #expect(from.uri.user == repeated("amazinglylongcallername", 5))
        #expect(from.parameters.count == 3)
        #expect(message.callID == "longreq.one\(repeated("really", 20))longcallid")
        #expect(message.contacts.count == 1)
        #expect(message.body.count == 150)
    }

    /// §3.1.1.8 dblreq: a datagram holding a REGISTER and then an INVITE; Content-Length 0 ends
    /// the first and the rest is discarded (RFC 3261 §18.3).
    @Test func dblreq() throws {
        let message = try request("""
            REGISTER sip:example.com SIP/2.0
            To: sip:j.user@example.com
            From: sip:j.user@example.com;tag=43251j3j324
            Max-Forwards: 8
            I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
            Contact: sip:j.user@host.example.com
            CSeq: 8 REGISTER
            Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492
            Content-Length: 0

            INVITE sip:joe@example.com SIP/2.0
            t: sip:joe@example.com
            From: sip:caller@example.net;tag=141334
            Max-Forwards: 8
            Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
            CSeq: 8 INVITE
            Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
            Content-Type: application/sdp
            Content-Length: 150


            """ + Wire.sdp("192.0.2.15"))
        #expect(message.method == .register)
        #expect(message.callID == "dblreq.0ha0isndaksdj99sdfafnl3lk233412")
        #expect(message.body.isEmpty)
        #expect(message.contacts.first?.uri.host == "host.example.com")
    }

    /// §3.1.1.9 semiuri: ";" in the user part; a folded list.
    @Test func semiuri() throws {
        let message = try request("""
            OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
            To: sip:j_user@example.com
            From: sip:caller@example.org;tag=33242
            Max-Forwards: 3
            Call-ID: semiuri.0ha0isndaksdj
            CSeq: 8 OPTIONS
            Accept: application/sdp, application/pkcs7-mime,
                    multipart/mixed, multipart/signed,
                    message/sip, message/sipfrag
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
            l: 0


            """)
        #expect(message.requestURI.user == "user;par=u%40example.net")
        #expect(message.requestURI.host == "example.com")
        #expect(message.requestURI.parameters.isEmpty)
        #expect(message.headers.values("Accept") == [
            "application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed",
            "message/sip", "message/sipfrag",
        ])
    }

    /// §3.1.1.10 transports: unknown transports are kept as written.
    @Test func transports() throws {
        let message = try request("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: <sip:caller@example.com>;tag=323
            Max-Forwards: 70
            Call-ID:  transports.kijh4akdnaqjkwendsasfdj
            Accept: application/sdp
            CSeq: 60 OPTIONS
            Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
            Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
            Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
            Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
            Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
            l: 0


            """)
        #expect(message.vias.map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
        #expect(message.callID == "transports.kijh4akdnaqjkwendsasfdj")
    }

    /// §3.1.1.11 mpart01: a multipart body with a binary part is carried as bytes, untouched.
    /// (The RFC's part is an S/MIME blob; this one holds every byte value instead.)
    @Test func mpart01() throws {
        let binary = (0...255).map(UInt8.init)
        var body = Wire.bytes("""
            --7a9cbec.3a2f5f8c
            Content-Type: text/plain

            Hello

            --7a9cbec.3a2f5f8c
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: binary


            """)
        body += binary
        body += Wire.bytes("\n--7a9cbec.3a2f5f8c--\n")
        let head = Wire.bytes("""
            MESSAGE sip:kumiko@example.org SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport
            Max-Forwards: 70
            Route: <sip:127.0.0.1:5080>
            Identity-Info: <https://example.com/cert>;alg=rsa-sha1
            To: <sip:kumiko@example.org>
            From: <sip:nobuko@example.net>;tag=2fb0dcc9
            Call-ID: 3d9485ad0c49859b@Zmo0MGIxYjJkOTU5YWEwNzNlN2YyYWUyNDYwMDc3OTA.
            CSeq: 1 MESSAGE
            Accept: multipart/mixed
            Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, SUBSCRIBE, MESSAGE
            Content-Type: multipart/mixed;boundary=7a9cbec.3a2f5f8c
            Content-Length: \(body.count)


            """)
        let message = try #require(try SIPMessageParser.parse(head + body).request)
        #expect(message.method == .message)
        #expect(message.body == body)
        #expect(message.contentType?.type == "multipart")
        #expect(message.contentType?.parameters["boundary"] == "7a9cbec.3a2f5f8c")
        #expect(message.topVia?.rport == .requested)
        #expect(message.headers.values("Allow").count == 9)
        #expect(message.headers["n"] == "<https://example.com/cert>;alg=rsa-sha1")
        let reparsed = try SIPMessageParser.parse(message.serialized())
        #expect(reparsed.body == body)
    }

    /// §3.1.1.12 unreason: a reason phrase in UTF-8 with characters that mean something elsewhere.
    @Test func unreason() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое
            Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
            Call-ID: unreason.1234ksdfak3j2erwedfsASdf
            CSeq: 35 INVITE
            From: sip:user@example.com;tag=11141343
            To: sip:user@example.edu;tag=2229
            Content-Length: 154
            Content-Type: application/sdp
            Contact: <sip:user@host198.example.com>


            """ + Wire.sdp("192.0.2.198")))
        let response = try #require(message.response)
        #expect(response.statusCode == 200)
        #expect(response.reasonPhrase == "= 2**3 * 5**2 но сто девяносто девять - простое")
        #expect(response.body.count == 154)
        #expect(response.cseq == SIPCSeq(sequenceNumber: 35, method: .invite))
    }

    /// §3.1.1.13 noreason: an empty reason phrase.
    @Test func noreason() throws {
        let message = try SIPMessageParser.parse(Wire.bytes("""
            SIP/2.0 100 \nVia: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
            Call-ID: noreason.asndj203insdf99223ndf
            CSeq: 35 INVITE
            From: <sip:user@example.com>;tag=39ansfi3
            To: <sip:user@example.edu>;tag=902jndnke3
            Content-Length: 0
            Contact: <sip:user@host105.example.com>


            """))
        let response = try #require(message.response)
        #expect(response.statusCode == 100)
        #expect(response.reasonPhrase == "")
        #expect(response.to?.tag == "902jndnke3")
    }

    /// §3.2.1 badbranch: a branch that is only the magic cookie is still syntactically fine.
    @Test func badbranch() throws {
        let message = try request("""
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.org;tag=33242
            Max-Forwards: 3
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK
            Accept: application/sdp
            Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n
            CSeq: 8 OPTIONS
            l: 0


            """)
        #expect(message.topVia?.branch == "z9hG4bK")
    }

    /// §3.1.2.9 lwsstart and §3.1.2.10 trws: extra SP in the request line is tolerated, and not
    /// repeated when the request is forwarded.
    @Test func lwsstartAndTrwsAreTolerated() throws {
        let lwsstart = try request("""
            INVITE  sip:user@example.com  SIP/2.0
            Max-Forwards: 8
            To: sip:user@example.com
            From: sip:caller@example.net;tag=8814
            Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
            CSeq: 1893884 INVITE
            Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923
            Contact: <sip:caller@host1.example.net>
            Content-Type: application/sdp
            Content-Length: 150


            """ + Wire.sdp("192.0.2.1"))
        #expect(Wire.text(lwsstart.serialized()).hasPrefix("INVITE sip:user@example.com SIP/2.0\r\n"))

        let trws = try request("""
            OPTIONS sip:remote-target@example.com SIP/2.0  \nVia: SIP/2.0/TCP host1.examle.com;branch=z9hG4bK299342093
            To: <sip:remote-target@example.com>
            From: <sip:local-resource@example.com>;tag=329429089
            Call-ID: trws.oicu34958239neffasdhr2345r
            Accept: application/sdp
            CSeq: 238923 OPTIONS
            Max-Forwards: 70
            Content-Length: 0


            """)
        #expect(trws.requestURI.user == "remote-target")
    }

    /// §3.1.2.12 baddate: a Date this UA does not interpret is kept whole and not split.
    @Test func baddateIsKeptAsText() throws {
        let message = try request("""
            INVITE sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=2234923
            Max-Forwards: 70
            Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234
            CSeq: 1392934 INVITE
            Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
            Date: Fri, 01 Jan 2010 16:00:00 EST
            Contact: <sip:caller@host5.example.net>
            Content-Type: application/sdp
            Content-Length: 150


            """ + Wire.sdp("192.0.2.5"))
        #expect(message.headers.values("Date") == ["Fri, 01 Jan 2010 16:00:00 EST"])
    }
}
