import Testing
@testable import SDP

@Suite struct AttributeTests {
    let chrome = try! SessionDescription(parsing: Fixtures.chromeStyle)
    let ipv6 = try! SessionDescription(parsing: Fixtures.ipv6)
    let baresip = try! SessionDescription(parsing: Fixtures.baresipAnswer)

    @Test func rtpMaps() {
        let audio = chrome.media[0]
        #expect(audio.rtpMaps.count == 8)
        #expect(audio.rtpMaps[0] == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpMap(for: 9) == RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000))
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        // Static payload type without an rtpmap line.
        #expect(ipv6.media[0].rtpMap(for: 8) == RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000))
        #expect(ipv6.media[0].rtpMap(for: 31) == nil)
        #expect(RTPMap.opus().attributeValue == "111 opus/48000/2")
        #expect(RTPMap.vp8().attributeValue == "96 VP8/90000")
        #expect(RTPMap(attributeValue: "96 vp8/90000")!.isSameCodec(as: .vp8(100)))
        #expect(!RTPMap(attributeValue: "111 opus/48000")!.isSameCodec(as: .opus()))
        for bad in ["", "96", "x VP8/90000", "128 VP8/90000", "96 VP8", "96 VP8/x", "96 /90000", "96 a/1/2/3", "96 a/1/256"] {
            #expect(RTPMap(attributeValue: bad) == nil, "\(bad)")
        }
    }

    @Test func formatParameters() {
        let params = chrome.media[0].formatParameters(for: 111)!
        #expect(params.text == "minptime=10;useinbandfec=1")
        #expect(params.parameter("useinbandfec") == "1")
        #expect(params.parameter("MINPTIME") == "10")
        #expect(params.parameter("stereo") == nil)
        #expect(chrome.media[1].formatParameters.count == 3)
        #expect(chrome.media[1].formatParameters(for: 102)?.parameter("profile-level-id") == "42001f")
        let bare = FormatParameters(attributeValue: "101 0-15")!
        #expect(bare.parameters.map(\.name) == ["0-15"])
        #expect(bare.parameters.first?.value == nil)
        #expect(FormatParameters(attributeValue: "96")?.text == "")
        #expect(FormatParameters(attributeValue: "") == nil)
        #expect(FormatParameters(payloadType: 111, text: "a=1").attributeValue == "111 a=1")
    }

    @Test func rtcpFeedback() {
        let video = chrome.media[1]
        #expect(video.rtcpFeedback.count == 5)
        #expect(video.rtcpFeedback(for: 96) == [.googREMB, .transportCC, .ccmFIR, .nack, .nackPLI])
        #expect(video.rtcpFeedback(for: 102).isEmpty)
        let star = baresip.media[1]
        #expect(star.rtcpFeedback == [RTCPFeedback(format: .all, feedback: .nackPLI)])
        #expect(star.rtcpFeedback(for: 96) == [.nackPLI])
        #expect(star.rtcpFeedback(for: 5) == [.nackPLI])
        #expect(RTCPFeedback(format: .payloadType(96), feedback: .nackPLI).attributeValue == "96 nack pli")
        #expect(RTCPFeedback(attributeValue: "* trr-int 100")?.feedback == RTCPFeedbackType("trr-int", "100"))
        #expect(RTCPFeedback(attributeValue: "96") == nil)
        #expect(RTCPFeedback(attributeValue: "x nack") == nil)
    }

    @Test func direction() {
        #expect(baresip.media[0].direction(in: baresip) == .sendrecv)
        #expect(baresip.media[1].direction(in: baresip) == .sendonly)
        // Session-level default, overridden at media level.
        #expect(ipv6.declaredDirection == .recvonly)
        #expect(ipv6.media[0].declaredDirection == nil)
        #expect(ipv6.media[0].direction(in: ipv6) == .recvonly)
        #expect(ipv6.media[1].direction(in: ipv6) == .sendrecv)
        // No direction anywhere: sendrecv.
        let bare = try! SessionDescription(parsing: "v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 1 RTP/AVP 0\n")
        #expect(bare.media[0].direction(in: bare) == .sendrecv)
        var media = baresip.media[1]
        media.setDirection(.inactive)
        #expect(media.declaredDirection == .inactive)
        #expect(media.attributes.filter { $0.name == "inactive" || $0.name == "sendonly" }.count == 1)
        #expect(media.attributes.firstIndex(of: SDPAttribute("inactive")) == 2)
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.inactive.reversed == .inactive)
        #expect(MediaDirection.sendrecv.reversed == .sendrecv)
    }

    @Test func rtcpMuxAndRTCP() {
        #expect(chrome.media[0].rtcpMux)
        #expect(!baresip.media[0].rtcpMux)
        #expect(chrome.media[0].rtcp == RTCPAddress(port: 9, connection: SDPConnection(address: "0.0.0.0")))
        #expect(ipv6.media[1].rtcp == RTCPAddress(port: 53020, connection: SDPConnection(address: "2001:db8::3")))
        #expect(RTCPAddress(attributeValue: "5001") == RTCPAddress(port: 5001))
        #expect(RTCPAddress(attributeValue: "70000") == nil)
        #expect(RTCPAddress(attributeValue: "5001 IN IP4") == nil)
        #expect(RTCPAddress(port: 9, connection: SDPConnection(address: "::1")).attributeValue == "9 IN IP6 ::1")
    }

    @Test func midContentLabel() {
        #expect(chrome.media[1].mid == "1")
        #expect(baresip.media[0].mid == nil)
        #expect(ipv6.media[1].content == ["slides", "main"])
        #expect(ipv6.media[1].isSlides)
        #expect(ipv6.media[0].content.isEmpty)
        #expect(ipv6.media[1].label == "deck")
        #expect(baresip.media[1].label == "2")
        #expect(baresip.media[1].content == ["main"])
        #expect(!baresip.media[1].isSlides)
    }

    @Test func cryptos() {
        #expect(baresip.media[0].cryptos.count == 1)
        #expect(baresip.media[0].cryptos[0].keyAndSalt == Fixtures.agentKey)
        let chromeCrypto = chrome.media[0].cryptos[0]
        #expect(chromeCrypto.keyParameters[0].lifetime == 1 << 31)
        #expect(chromeCrypto.keyParameters[0].mki == SDESKeyParameter.MKI(value: 1, length: 1))
        let offer = try! SessionDescription(parsing: Fixtures.baresipOffer)
        #expect(offer.media[1].cryptos.map(\.suite) == [.aesCM128HMACSHA1_80])
        #expect(offer.media[1].cryptos.map(\.tag) == [1])
        // A malformed crypto line is skipped, not fatal.
        var media = baresip.media[0]
        media.attributes.insert(SDPAttribute("crypto", "1 AES_CM_128_HMAC_SHA1_80 inline:short"), at: 0)
        #expect(media.cryptos.count == 1)
    }

    @Test func ptimeAndFramerate() {
        #expect(ipv6.media[0].ptime == 20)
        #expect(chrome.media[0].ptime == nil)
        #expect(chrome.media[1].framerate == 29.97)
        #expect(ipv6.media[1].framerate == 15)
        var media = ipv6.media[1]
        media.attributes = [SDPAttribute("framerate", "nan"), SDPAttribute("ptime", "x")]
        #expect(media.framerate == nil)
        #expect(media.ptime == nil)
    }

    @Test func transportClassification() {
        #expect(chrome.media[0].isSecureTransport && chrome.media[0].hasFeedbackProfile)
        #expect(!ipv6.media[0].isSecureTransport && !ipv6.media[0].hasFeedbackProfile)
        let dtls = MediaDescription(mediaType: "video", port: 9, transportProtocol: "UDP/TLS/RTP/SAVPF", formats: ["96"])
        #expect(dtls.isSecureTransport && dtls.hasFeedbackProfile)
        #expect(!OfferAnswer.isRTPTransport(dtls))
    }

    @Test func attributeLookupIsCaseInsensitive() {
        let attributes = [SDPAttribute("RTCP-MUX"), SDPAttribute("Mid", "a")]
        #expect(attributes.contains(named: "rtcp-mux"))
        #expect(attributes.values(named: "mid") == ["a"])
        #expect(attributes.first(named: "nope") == nil)
    }
}
