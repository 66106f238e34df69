import Testing
@testable import SDP

@Suite struct NegotiationTests {
    static func offer(content: Bool = false, profile: MediaProfile = .savpf) -> SessionDescription {
        var builder = OfferBuilderTests.builder(profile)
        if content { builder.ports.content = 10004 }
        if profile == .avp { builder.keys = .none }
        return try! builder.build()
    }

    static let answer = try! SessionDescription(parsing: Fixtures.baresipAnswer)

    @Test func baresipAnswerNegotiates() throws {
        let session = try OfferAnswer.negotiate(offer: Self.offer(), answer: Self.answer)
        #expect(session.media.count == 2)
        #expect(session.remoteOrigin == Self.answer.origin)
        let audio = try #require(session.audio)
        #expect(audio.index == 0)
        #expect(audio.role == .audio)
        #expect(audio.localPort == 10000)
        #expect(audio.remoteAddress == "127.0.0.1")
        #expect(audio.remotePort == 21078)
        // rtcp_mux no: baresip does not echo a=rtcp-mux, so RTCP goes to port + 1.
        #expect(!audio.rtcpMux)
        #expect(audio.remoteRTCPPort == 21079)
        #expect(audio.codec == .opus(111))
        #expect(audio.sendPayloadType == 111 && audio.receivePayloadType == 111)
        #expect(audio.remoteFormatParameters?.parameter("stereo") == "1")
        #expect(audio.direction == .sendrecv)
        #expect(audio.rtcpFeedback.isEmpty)
        let srtp = try #require(audio.srtp)
        #expect(srtp.suite == .aesCM128HMACSHA1_80)
        #expect(srtp.localKeyAndSalt == Fixtures.audioKey)
        #expect(srtp.remoteKeyAndSalt == Fixtures.agentKey)

        let video = try #require(session.video)
        #expect(video.codec == .vp8(96))
        #expect(video.remotePort == 21040)
        // Offered recvonly, answered sendonly: the kiosk only receives.
        #expect(video.direction == .recvonly)
        // baresip 1.0.0 answers only `rtcp-fb:* nack pli`: no generic NACK, no FIR.
        #expect(video.rtcpFeedback == [.nackPLI])
        #expect(video.content == ["main"])
        #expect(video.srtp?.localKeyAndSalt == Fixtures.videoKey)
        #expect(session.content == nil)
    }

    static func edit(_ text: String = Fixtures.baresipAnswer, _ change: (inout SessionDescription) -> Void) -> SessionDescription {
        var sdp = try! SessionDescription(parsing: text)
        change(&sdp)
        return sdp
    }

    @Test func baresipWithRTCPMux() throws {
        let answer = try SessionDescription(parsing: Fixtures.baresipAnswerMux)
        let session = try OfferAnswer.negotiate(offer: Self.offer(), answer: answer)
        #expect(session.audio?.rtcpMux == true)
        #expect(session.video?.rtcpMux == true)
        #expect(session.video?.remoteRTCPPort == 21040)
    }

    @Test func baresipSRTPMandAnswersTheSAVPFallback() throws {
        let answer = try SessionDescription(parsing: Fixtures.baresipAnswerSAVP)
        let session = try OfferAnswer.negotiate(offer: Self.offer(profile: .savp), answer: answer)
        #expect(session.audio?.transportProtocol == "RTP/SAVP")
        #expect(session.audio?.srtp?.suite == .aesCM128HMACSHA1_80)
        // baresip lists rtcp-fb even on RTP/SAVP; the kiosk offered none, so none is used.
        #expect(session.video?.rtcpFeedback == [])
    }

    @Test func payloadTypeRenumberingAndPreference() throws {
        // The answerer lists PCMU first (not offered) and opus under another number.
        let answer = Self.edit { sdp in
            sdp.media[0].formats = ["0", "100"]
            sdp.media[0].attributes[0] = SDPAttribute("rtpmap", "100 OPUS/48000/2")
            sdp.media[0].attributes[1] = SDPAttribute("fmtp", "100 useinbandfec=1")
        }
        let audio = try #require(try OfferAnswer.negotiate(offer: Self.offer(), answer: answer).audio)
        #expect(audio.sendPayloadType == 100)
        #expect(audio.receivePayloadType == 111)
        #expect(audio.codec == .opus(111))
        #expect(audio.remoteFormatParameters?.text == "useinbandfec=1")
    }

    @Test func muxMediaConnectionAndDirections() throws {
        let answer = Self.edit { sdp in
            sdp.media[0].attributes.append(SDPAttribute("rtcp-mux"))
            sdp.media[1].connection = SDPConnection(address: "2001:db8::7")
            sdp.media[1].attributes.append(SDPAttribute("rtcp", "30000 IN IP4 198.51.100.1"))
            sdp.media[0].setDirection(.recvonly)
        }
        let session = try OfferAnswer.negotiate(offer: Self.offer(), answer: answer)
        #expect(session.audio?.rtcpMux == true)
        #expect(session.audio?.remoteRTCPPort == 21078)
        // The agent only receives audio: the kiosk only sends.
        #expect(session.audio?.direction == .sendonly)
        #expect(session.video?.remoteAddress == "2001:db8::7")
        #expect(session.video?.remoteRTCPAddress == "198.51.100.1")
        #expect(session.video?.remoteRTCPPort == 30000)
    }

    @Test func consentedVideoIsSendrecv() throws {
        var builder = OfferBuilderTests.builder()
        builder.videoDirection = .sendrecv
        let answer = Self.edit { $0.media[1].setDirection(.sendrecv) }
        #expect(try OfferAnswer.negotiate(offer: builder.build(), answer: answer).video?.direction == .sendrecv)
        // A non-compliant sendrecv answer to a recvonly offer does not make the kiosk send.
        #expect(try OfferAnswer.negotiate(offer: Self.offer(), answer: answer).video?.direction == .recvonly)
    }

    @Test func rejectedVideoAndContent() throws {
        let answer = Self.edit { sdp in
            sdp.media[1].port = 0
            sdp.media.append(MediaDescription(mediaType: "video", port: 0, transportProtocol: "RTP/SAVPF", formats: ["96"]))
        }
        let session = try OfferAnswer.negotiate(offer: Self.offer(content: true), answer: answer)
        #expect(session.media.count == 3)
        #expect(session.audio != nil)
        #expect(session.media[1] == nil && session.media[2] == nil)
    }

    @Test func acceptedContent() throws {
        let answer = Self.edit { sdp in
            var content = sdp.media[1]
            content.port = 20014
            content.attributes.removeAll { $0.name == "content" }
            content.attributes.append(SDPAttribute("content", "slides"))
            sdp.media.append(content)
        }
        let session = try OfferAnswer.negotiate(offer: Self.offer(content: true), answer: answer)
        let content = try #require(session.content)
        #expect(content.index == 2)
        #expect(content.localPort == 10004)
        #expect(content.remotePort == 20014)
        #expect(content.content == ["slides"])
        #expect(content.srtp?.localKeyAndSalt == Fixtures.contentKey)
    }

    @Test func plainRTPWhenPolicyAllows() throws {
        let answer = Self.edit { sdp in
            for index in sdp.media.indices {
                sdp.media[index].transportProtocol = "RTP/AVP"
                sdp.media[index].attributes.removeAll { $0.name == "crypto" }
            }
        }
        let policy = NegotiationPolicy(srtpRequired: false)
        let session = try OfferAnswer.negotiate(offer: Self.offer(profile: .avp), answer: answer, policy: policy)
        #expect(session.audio?.srtp == nil)
        #expect(session.video?.srtp == nil)
        #expect(throws: NegotiationError.srtpRequired(index: 0)) {
            try OfferAnswer.negotiate(offer: Self.offer(profile: .avp), answer: answer)
        }
    }

    static let failures: [(String, @Sendable (inout SessionDescription) -> Void, NegotiationError)] = [
        ("audio port 0", { $0.media[0].port = 0 }, .audioRejected),
        ("m-line missing", { $0.media.removeLast() }, .mediaCountMismatch(offered: 2, answered: 1)),
        ("type changed", { $0.media[1].mediaType = "audio" }, .mediaTypeMismatch(index: 1)),
        ("no common codec", { sdp in
            sdp.media[0].formats = ["0"]
            sdp.media[0].attributes.removeAll { $0.name == "rtpmap" }
        }, .noCommonCodec(index: 0)),
        ("codec not offered", { sdp in
            sdp.media[1].formats = ["97"]
            sdp.media[1].attributes[0] = SDPAttribute("rtpmap", "97 H264/90000")
        }, .noCommonCodec(index: 1)),
        ("no crypto", { $0.media[0].attributes.removeAll { $0.name == "crypto" } }, .srtpRequired(index: 0)),
        ("answered on AVP", { $0.media[1].transportProtocol = "RTP/AVP" }, .srtpRequired(index: 1)),
        ("unknown tag", { sdp in
            sdp.media[0].attributes.removeAll { $0.name == "crypto" }
            sdp.media[0].attributes.append(SDPAttribute("crypto", "2 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)"))
        }, .badCrypto(index: 0, reason: .unknownTag(2))),
        ("other suite", { sdp in
            sdp.media[1].attributes.removeAll { $0.name == "crypto" }
            sdp.media[1].attributes.append(SDPAttribute("crypto", "1 AES_CM_128_HMAC_SHA1_32 inline:\(Fixtures.agentKeyText)"))
        }, .badCrypto(index: 1, reason: .suiteMismatch(.aesCM128HMACSHA1_32))),
        ("bad key", { sdp in
            sdp.media[0].attributes.removeAll { $0.name == "crypto" }
            sdp.media[0].attributes.append(SDPAttribute("crypto", "1 AES_CM_128_HMAC_SHA1_80 inline:Zm9v"))
        }, .badCrypto(index: 0, reason: .malformed)),
        ("no c=", { $0.connection = nil }, .missingConnection(index: 0)),
        ("DTLS", { $0.media[1].transportProtocol = "UDP/TLS/RTP/SAVPF" }, .unsupportedTransport(index: 1, "UDP/TLS/RTP/SAVPF")),
    ]

    @Test(arguments: 0..<failures.count)
    func failure(case index: Int) {
        let (name, change, expected) = Self.failures[index]
        let answer = Self.edit(Fixtures.baresipAnswer, change)
        #expect(throws: expected, "\(name)") { try OfferAnswer.negotiate(offer: Self.offer(), answer: answer) }
    }

    @Test func policyLimitsCodecs() {
        let policy = NegotiationPolicy(videoCodecs: [RTPMap(payloadType: 100, encodingName: "H264", clockRate: 90000)])
        #expect(throws: NegotiationError.noCommonCodec(index: 1)) {
            try OfferAnswer.negotiate(offer: Self.offer(), answer: Self.answer, policy: policy)
        }
    }

    @Test func savpWithoutCryptoFailsEvenWhenNotRequired() {
        let answer = Self.edit { $0.media[0].attributes.removeAll { $0.name == "crypto" } }
        #expect(throws: NegotiationError.badCrypto(index: 0, reason: .missing)) {
            try OfferAnswer.negotiate(offer: Self.offer(), answer: answer, policy: NegotiationPolicy(srtpRequired: false))
        }
    }
}
