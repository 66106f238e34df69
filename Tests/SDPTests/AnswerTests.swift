import Testing
@testable import SDP

@Suite struct AnswerTests {
    static let origin = SDPOrigin(sessionID: 3_735_928_559, sessionVersion: 2, address: "192.0.2.10")
    static let ports = MediaPorts(audio: 10000, video: 10002, content: 10004)

    static func answer(
        _ offer: SessionDescription, cameraAllowed: Bool = false, policy: NegotiationPolicy = NegotiationPolicy()
    ) throws -> (SessionDescription, NegotiatedSession) {
        try OfferAnswer.answer(
            offer: offer, origin: origin, localAddress: "192.0.2.10", ports: ports, keys: Fixtures.keys,
            cameraAllowed: cameraAllowed, policy: policy)
    }

    static let baresipOffer = try! SessionDescription(parsing: Fixtures.baresipOffer)

    @Test func answersBaresipOfferWithoutConsent() throws {
        let (sdp, session) = try Self.answer(Self.baresipOffer)
        #expect(sdp.serialized() == Fixtures.crlf([
            "v=0",
            "o=- 3735928559 2 IN IP4 192.0.2.10",
            "s=kioskd",
            "c=IN IP4 192.0.2.10",
            "t=0 0",
            "m=audio 10000 RTP/AVP 96",
            "a=rtpmap:96 opus/48000/2",
            "a=fmtp:96 minptime=10;useinbandfec=1",
            "a=ptime:20",
            "a=sendrecv",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
            "m=video 10002 RTP/AVP 96",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack pli",
            "a=recvonly",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Hh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7",
        ]))
        let audio = try #require(session.audio)
        #expect(audio.remotePort == 21072)
        #expect(audio.remoteRTCPPort == 21073)
        #expect(audio.srtp?.suite == .aesCM128HMACSHA1_80)
        #expect(audio.codec == .opus(96))
        #expect(audio.sendPayloadType == 96)
        #expect(audio.srtp?.remoteKeyAndSalt == Fixtures.agentKey)
        #expect(audio.srtp?.localKeyAndSalt == Fixtures.audioKey)
        #expect(audio.direction == .sendrecv)
        #expect(session.video?.direction == .recvonly)
        #expect(session.video?.rtcpFeedback == [.nackPLI])
        #expect(session.remoteOrigin == Self.baresipOffer.origin)
        // What the kiosk answered, read back as if it were the peer's answer, agrees. (negotiate
        // itself refuses RTP/AVP answers under srtpRequired; the answerer accepts baresip's
        // best-effort RTP/AVP + a=crypto offers because the keys are exchanged all the same.)
        let check = try OfferAnswer.negotiate(
            offer: Self.baresipOffer, answer: sdp, policy: NegotiationPolicy(srtpRequired: false))
        #expect(check.audio?.srtp?.suite == .aesCM128HMACSHA1_80)
        #expect(check.audio?.srtp?.remoteKeyAndSalt == Fixtures.audioKey)
    }

    @Test(arguments: [
        (MediaDirection.sendrecv, true, MediaDirection.sendrecv),
        (.sendrecv, false, .recvonly),
        (.sendonly, true, .recvonly),
        (.sendonly, false, .recvonly),
        (.recvonly, true, .sendonly),
        (.recvonly, false, .inactive),
        (.inactive, true, .inactive),
    ])
    func videoDirection(offered: MediaDirection, cameraAllowed: Bool, expected: MediaDirection) throws {
        var offer = Self.baresipOffer
        offer.media[1].setDirection(offered)
        let (sdp, session) = try Self.answer(offer, cameraAllowed: cameraAllowed)
        #expect(sdp.media[1].declaredDirection == expected)
        #expect(session.video?.direction == expected)
    }

    @Test func audioDirectionMirrorsOffer() throws {
        var offer = Self.baresipOffer
        offer.media[0].setDirection(.sendonly)
        #expect(try Self.answer(offer).0.media[0].declaredDirection == .recvonly)
        offer.setDirection(.inactive)
        offer.media[0].attributes.removeAll { $0.name == "sendonly" }
        #expect(try Self.answer(offer).1.audio?.direction == .inactive)
    }

    /// The agent re-INVITEs adding shared content as a third m-line.
    static let contentOffer = Fixtures.crlf([
        "v=0",
        "o=- 1734286392 3495728182 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "m=audio 20000 RTP/SAVPF 111",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)",
        "m=video 20002 RTP/SAVPF 96",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 nack pli",
        "a=rtcp-fb:96 transport-cc",
        "a=sendonly",
        "a=mid:v",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)",
        "m=video 20004 RTP/SAVPF 97 96",
        "a=rtpmap:97 H264/90000",
        "a=rtpmap:96 VP8/90000",
        "a=content:slides",
        "a=label:3",
        "a=sendonly",
        "a=crypto:5 AEAD_AES_256_GCM inline:\(Fixtures.agentKeyText)AAAA",
        "a=crypto:6 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)",
    ])

    @Test func contentSlidesAsThirdLine() throws {
        let offer = try SessionDescription(parsing: Self.contentOffer)
        let (sdp, session) = try Self.answer(offer, cameraAllowed: true)
        #expect(sdp.media.count == 3)
        #expect(sdp.media[1].declaredDirection == .recvonly)
        #expect(sdp.media[1].mid == "v")
        #expect(sdp.media[1].rtcpFeedback(for: 96) == [.nackPLI])
        let content = sdp.media[2]
        #expect(content.port == 10004)
        #expect(content.formats == ["96"])
        #expect(content.content == ["slides"])
        #expect(content.declaredDirection == .recvonly)
        #expect(!content.rtcpMux)
        #expect(content.cryptos.map(\.tag) == [6])
        #expect(content.cryptos.first?.keyAndSalt == Fixtures.contentKey)
        let negotiated = try #require(session.content)
        #expect(negotiated.remotePort == 20004)
        #expect(negotiated.remoteRTCPPort == 20005)
        #expect(negotiated.direction == .recvonly)
        #expect(negotiated.srtp?.remote.tag == 6)
        #expect(session.audio?.rtcpMux == true)
        #expect(sdp.media[0].rtcpMux)
    }

    @Test func contentRejectedWithoutPort() throws {
        let offer = try SessionDescription(parsing: Self.contentOffer)
        let (sdp, session) = try OfferAnswer.answer(
            offer: offer, origin: Self.origin, localAddress: "192.0.2.10",
            ports: MediaPorts(audio: 10000, video: 10002), keys: Fixtures.keys, cameraAllowed: false)
        #expect(sdp.media[2] == MediaDescription(mediaType: "video", port: 0, transportProtocol: "RTP/SAVPF", formats: ["97", "96"]))
        #expect(session.content == nil)
        #expect(session.media.count == 3)
    }

    @Test func unsupportedCodecAndExtraLinesGetPortZero() throws {
        var offer = Self.baresipOffer
        offer.media[1].formats = ["102"]
        offer.media[1].attributes = [SDPAttribute("rtpmap", "102 H264/90000"), SDPAttribute("crypto", offer.media[1].attributes.values(named: "crypto")[0])]
        offer.media.append(MediaDescription(mediaType: "application", port: 5000, transportProtocol: "TCP/BFCP", formats: ["*"]))
        offer.media.append(MediaDescription(mediaType: "audio", port: 5002, transportProtocol: "RTP/AVP", formats: ["0"]))
        let (sdp, session) = try Self.answer(offer)
        #expect(sdp.media.map(\.port) == [10000, 0, 0, 0])
        #expect(sdp.media.map(\.mediaType) == ["audio", "video", "application", "audio"])
        #expect(sdp.media[1].formats == ["102"])
        #expect(sdp.media[1].attributes.isEmpty)
        #expect(session.media.map { $0 != nil } == [true, false, false, false])
        #expect(try SessionDescription(parsing: sdp.serialized()) == sdp)
    }

    @Test func disabledOfferedStreamStaysDisabled() throws {
        var offer = Self.baresipOffer
        offer.media[1].port = 0
        let (sdp, _) = try Self.answer(offer, cameraAllowed: true)
        #expect(sdp.media[1].port == 0)
    }

    @Test func audioFailuresThrow() throws {
        var noOpus = Self.baresipOffer
        noOpus.media[0].formats = ["0"]
        #expect(throws: NegotiationError.noCommonCodec(index: 0)) { try Self.answer(noOpus) }

        var noCrypto = Self.baresipOffer
        noCrypto.media[0].attributes.removeAll { $0.name == "crypto" }
        #expect(throws: NegotiationError.srtpRequired(index: 0)) { try Self.answer(noCrypto) }
        // Plain RTP when the configuration allows it.
        #expect(try Self.answer(noCrypto, policy: NegotiationPolicy(srtpRequired: false)).1.audio?.srtp == nil)

        var onlyGCM = Self.baresipOffer
        onlyGCM.media[0].attributes.removeAll { $0.name == "crypto" }
        onlyGCM.media[0].attributes.append(SDPAttribute("crypto", "1 AEAD_AES_128_GCM inline:\(Base64.encode([UInt8](repeating: 0xAA, count: 28)))"))
        onlyGCM.media[0].transportProtocol = "RTP/SAVP"
        #expect(throws: NegotiationError.badCrypto(index: 0, reason: .noLocalKey)) {
            try Self.answer(onlyGCM, policy: NegotiationPolicy(srtpRequired: false))
        }
        #expect(throws: NegotiationError.srtpRequired(index: 0)) { try Self.answer(onlyGCM) }

        var dtls = Self.baresipOffer
        dtls.media[0].transportProtocol = "UDP/TLS/RTP/SAVPF"
        #expect(throws: NegotiationError.unsupportedTransport(index: 0, "UDP/TLS/RTP/SAVPF")) { try Self.answer(dtls) }

        var noAudio = Self.baresipOffer
        noAudio.media.removeFirst()
        #expect(throws: NegotiationError.audioRejected) { try Self.answer(noAudio) }

        var heldAudio = Self.baresipOffer
        heldAudio.media[0].port = 0
        #expect(throws: NegotiationError.audioRejected) { try Self.answer(heldAudio) }

        var noConnection = Self.baresipOffer
        noConnection.connection = nil
        #expect(throws: NegotiationError.missingConnection(index: 0)) { try Self.answer(noConnection) }
    }

    @Test func kioskOfferAnsweredByKioskNegotiates() throws {
        // The kiosk's own answerer accepts the kiosk's offer: a self-consistency check of both halves.
        let offer = try OfferBuilderTests.builder().build()
        let (answer, answered) = try Self.answer(offer, cameraAllowed: true)
        let session = try OfferAnswer.negotiate(offer: offer, answer: answer)
        #expect(session.audio?.rtcpMux == true)
        #expect(session.video?.rtcpFeedback == [.nack, .nackPLI, .ccmFIR])
        #expect(session.video?.direction == .recvonly)
        #expect(answered.video?.direction == .sendonly)
        #expect(session.audio?.srtp?.remote == answered.audio?.srtp?.local)
    }
}
