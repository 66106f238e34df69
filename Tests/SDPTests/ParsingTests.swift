import Testing
@testable import SDP

@Suite struct ParsingTests {
    @Test func baresipAnswerParses() throws {
        let sdp = try SessionDescription(parsing: Fixtures.baresipAnswer)
        #expect(sdp.version == 0)
        #expect(sdp.origin == SDPOrigin(username: "-", sessionID: 3_698_510_247, sessionVersion: 816_768_234,
                                         addressType: "IP4", address: "127.0.0.1"))
        #expect(sdp.sessionName == "-")
        #expect(sdp.connection == SDPConnection(address: "127.0.0.1"))
        #expect(sdp.times == [SDPTiming(start: 0, stop: 0)])
        #expect(sdp.attributes == [SDPAttribute("tool", "baresip 1.0.0")])
        #expect(sdp.media.count == 2)
        let audio = sdp.media[0]
        #expect(audio.mediaType == "audio")
        #expect(audio.port == 21078)
        #expect(audio.portCount == nil)
        #expect(audio.transportProtocol == "RTP/SAVPF")
        #expect(audio.formats == ["111"])
        #expect(audio.bandwidths.isEmpty)
        #expect(audio.attributes.count == 8)
        #expect(audio.attributes[5] == SDPAttribute("minptime", "20"))
        #expect(sdp.media[1].attributes.first == SDPAttribute("rtpmap", "96 VP8/90000"))
    }

    @Test(arguments: [Fixtures.baresipAnswer, Fixtures.baresipAnswerMux, Fixtures.baresipAnswerSAVP, Fixtures.baresipOffer, Fixtures.chromeStyle, Fixtures.ipv6])
    func roundTrip(text: String) throws {
        let sdp = try SessionDescription(parsing: text)
        let again = try SessionDescription(parsing: sdp.serialized())
        #expect(again == sdp)
        #expect(again.serialized() == sdp.serialized())
        #expect(try SessionDescription(parsing: sdp.serializedBytes()) == sdp)
    }

    @Test func serializedTextMatchesCanonicalInput() throws {
        // Already canonical (CRLF, RFC order): the serializer writes it back byte for byte.
        #expect(try SessionDescription(parsing: Fixtures.baresipAnswer).serialized() == Fixtures.baresipAnswer)
        #expect(try SessionDescription(parsing: Fixtures.baresipOffer).serialized() == Fixtures.baresipOffer)
    }

    @Test func chromeStyleKeepsEveryAttributeInOrder() throws {
        let sdp = try SessionDescription(parsing: Fixtures.chromeStyle)
        #expect(sdp.origin.sessionID == 4_611_731_400_430_051_336)
        #expect(sdp.attributes.map(\.name) == ["group", "extmap-allow-mixed", "msid-semantic"])
        #expect(sdp.attributes[2].value == " WMS 6a2a3a")
        #expect(sdp.media[0].attributes.count == 23)
        #expect(sdp.media[0].attributes[3] == SDPAttribute("ice-options", "trickle"))
        #expect(sdp.media[1].attributes.last == SDPAttribute("ssrc-group", "FID 1 2"))
        #expect(sdp.media[1].bandwidths == [SDPBandwidth(type: "AS", value: 2500), SDPBandwidth(type: "TIAS", value: 2_500_000)])
        #expect(sdp.media[1].attributes.contains(SDPAttribute("rtcp-rsize")))
    }

    @Test func ipv6AndSessionFields() throws {
        let sdp = try SessionDescription(parsing: Fixtures.ipv6)
        #expect(sdp.origin.addressType == "IP6")
        #expect(sdp.origin.address == "2001:db8::1")
        #expect(sdp.information == "IPv6 session")
        #expect(sdp.uri == "http://example.com/sdp")
        #expect(sdp.emails == ["ops@example.com (Ops)"])
        #expect(sdp.phones == ["+1 617 555 6011"])
        #expect(sdp.connection?.isIPv6 == true)
        #expect(sdp.bandwidths == [SDPBandwidth(type: "CT", value: 1000)])
        #expect(sdp.times == [SDPTiming(start: 2_873_397_496, stop: 2_873_404_696, repeats: ["604800 3600 0 90000"])])
        #expect(sdp.timeZones == "2882844526 -1h")
        #expect(sdp.media[0].information == "voice")
        #expect(sdp.media[0].connection == SDPConnection(networkType: "IN", addressType: "IP6", address: "2001:db8::2"))
        #expect(sdp.connection(for: sdp.media[0])?.address == "2001:db8::2")
        #expect(sdp.connection(for: sdp.media[1])?.address == "2001:db8::1")
        #expect(sdp.media[1].port == 51372)
        #expect(sdp.media[1].portCount == 2)
        #expect(sdp.serialized().contains("m=video 51372/2 RTP/AVP 31\r\n"))
    }

    @Test func lenientWhereRealPeersAre() throws {
        // Out-of-order lines, no t=, empty s=, double spaces, an unknown line type, trailing blanks.
        let text = "o=-  1 1 IN IP4 10.0.0.1\nv=0\ns=\nx=unknown\nc=IN IP4 10.0.0.1 \nm=audio  4000 RTP/AVP 0\nq=what\na=sendrecv\n\n\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.sessionName == "")
        #expect(sdp.times.isEmpty)
        #expect(sdp.connection?.address == "10.0.0.1")
        #expect(sdp.media[0].port == 4000)
        #expect(sdp.media[0].attributes == [SDPAttribute("sendrecv")])
        #expect(try SessionDescription(parsing: sdp.serialized()) == sdp)
    }

    @Test func attributeValueForms() throws {
        let sdp = try SessionDescription(parsing: "v=0\r\no=- 1 1 IN IP4 a\r\ns= \r\na=flag\r\na=empty:\r\na=k:v:w\r\n")
        #expect(sdp.sessionName == " ")
        #expect(sdp.attributes == [SDPAttribute("flag"), SDPAttribute("empty", ""), SDPAttribute("k", "v:w")])
        #expect(sdp.serialized().hasSuffix("a=flag\r\na=empty:\r\na=k:v:w\r\n"))
    }

    @Test func mediaWithoutFormatsIsAccepted() throws {
        let sdp = try SessionDescription(parsing: "v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 0 RTP/AVP\n")
        #expect(sdp.media[0].formats.isEmpty)
        #expect(sdp.media[0].isRejected)
    }

    static let rejects: [(String, SDPParseError)] = [
        ("o=- 1 1 IN IP4 a\ns=-\n", SDPParseError(line: 0, problem: .missingLine("v"))),
        ("v=0\ns=-\n", SDPParseError(line: 0, problem: .missingLine("o"))),
        ("v=0\no=- 1 1 IN IP4 a\n", SDPParseError(line: 0, problem: .missingLine("s"))),
        ("", SDPParseError(line: 0, problem: .missingLine("v"))),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nhello\n", SDPParseError(line: 4, problem: .notATypedLine)),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n=x\r\n", SDPParseError(line: 4, problem: .notATypedLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\n a=x\n", SDPParseError(line: 4, problem: .notATypedLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio x RTP/AVP 0\n", SDPParseError(line: 4, problem: .badMediaLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 5000\n", SDPParseError(line: 4, problem: .badMediaLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio -1 RTP/AVP 0\n", SDPParseError(line: 4, problem: .badMediaLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 5000/x RTP/AVP 0\n", SDPParseError(line: 4, problem: .badMediaLine)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 65536 RTP/AVP 0\n", SDPParseError(line: 4, problem: .portOutOfRange)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 99999999999999999999999 RTP/AVP 0\n", SDPParseError(line: 4, problem: .portOutOfRange)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 5000/70000 RTP/AVP 0\n", SDPParseError(line: 4, problem: .portOutOfRange)),
        ("v=x\no=- 1 1 IN IP4 a\ns=-\n", SDPParseError(line: 1, problem: .badVersion)),
        ("v=0\no=- 1 IN IP4 a\ns=-\n", SDPParseError(line: 2, problem: .badOrigin)),
        ("v=0\no=- +1 1 IN IP4 a\ns=-\n", SDPParseError(line: 2, problem: .badOrigin)),
        ("v=0\no=- 1 18446744073709551616 IN IP4 a\ns=-\n", SDPParseError(line: 2, problem: .badOrigin)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4\n", SDPParseError(line: 4, problem: .badConnection)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nb=AS\n", SDPParseError(line: 4, problem: .badBandwidth)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nb=AS:x\n", SDPParseError(line: 4, problem: .badBandwidth)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0\n", SDPParseError(line: 4, problem: .badTiming)),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\na=\n", SDPParseError(line: 4, problem: .badAttribute)),
        ("v=0\nv=0\no=- 1 1 IN IP4 a\ns=-\n", SDPParseError(line: 2, problem: .duplicateLine("v"))),
        ("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 1 RTP/AVP 0\no=- 1 1 IN IP4 a\n", SDPParseError(line: 5, problem: .duplicateLine("o"))),
    ]

    @Test(arguments: rejects)
    func rejectsWithLineAndProblem(text: String, expected: SDPParseError) {
        #expect(throws: expected) { try SessionDescription(parsing: text) }
    }

    @Test func errorDescriptionNamesTheLine() {
        #expect(SDPParseError(line: 4, problem: .portOutOfRange).description == "SDP line 4: port above 65535")
        #expect(SDPParseError(line: 0, problem: .missingLine("o")).description == "SDP: missing o= line")
    }

    @Test func versionBump() throws {
        let sdp = try SessionDescription(parsing: Fixtures.baresipAnswer)
        let next = sdp.bumpingVersion()
        #expect(next.origin.sessionVersion == sdp.origin.sessionVersion + 1)
        #expect(next.origin.sessionID == sdp.origin.sessionID)
        #expect(!next.isSameRevision(as: sdp))
        #expect(sdp.isSameRevision(as: try SessionDescription(parsing: Fixtures.baresipAnswer)))
    }
}
