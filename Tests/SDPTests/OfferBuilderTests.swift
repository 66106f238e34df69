import Testing
@testable import SDP

@Suite struct OfferBuilderTests {
    static func builder(_ profile: MediaProfile = .savpf) -> KioskOfferBuilder {
        KioskOfferBuilder(
            localAddress: "192.0.2.10", sessionID: 3_735_928_559, sessionVersion: 1,
            ports: MediaPorts(audio: 10000, video: 10002), keys: Fixtures.keys, profile: profile)
    }

    @Test func defaultOfferExactText() throws {
        let offer = try Self.builder().build()
        #expect(offer.serialized() == Fixtures.crlf([
            "v=0",
            "o=- 3735928559 1 IN IP4 192.0.2.10",
            "s=kioskd",
            "c=IN IP4 192.0.2.10",
            "t=0 0",
            "m=audio 10000 RTP/SAVPF 111",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ptime:20",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
            "m=video 10002 RTP/SAVPF 96",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtcp-fb:96 ccm fir",
            "a=recvonly",
            "a=rtcp-mux",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Hh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7",
        ]))
        #expect(try SessionDescription(parsing: offer.serialized()) == offer)
    }

    @Test func contentLineIPv6AndConsent() throws {
        var builder = Self.builder()
        builder.localAddress = "2001:db8::10"
        builder.ports.content = 10004
        builder.videoDirection = .sendrecv
        builder.offerGoogREMB = true
        let offer = try builder.build()
        #expect(offer.origin.addressType == "IP6")
        #expect(offer.connection == SDPConnection(networkType: "IN", addressType: "IP6", address: "2001:db8::10"))
        #expect(offer.media.count == 3)
        #expect(offer.media[1].direction(in: offer) == .sendrecv)
        #expect(offer.media[1].rtcpFeedback(for: 96) == [.nack, .nackPLI, .ccmFIR, .googREMB])
        let content = offer.media[2]
        #expect(content.port == 10004)
        #expect(content.content == ["slides"])
        #expect(content.direction(in: offer) == .recvonly)
        #expect(content.cryptos.first?.keyAndSalt == Fixtures.contentKey)
        #expect(content.rtcpMux)
    }

    @Test func savpFallbackHasNoFeedback() throws {
        let offer = try Self.builder(.savp).build()
        #expect(offer.media.allSatisfy { $0.transportProtocol == "RTP/SAVP" })
        #expect(offer.media.allSatisfy { $0.rtcpFeedback.isEmpty })
        #expect(offer.media.allSatisfy { $0.cryptos.count == 1 })
    }

    @Test func plainRTPHasNoCrypto() throws {
        var builder = Self.builder(.avp)
        builder.keys = .none
        let offer = try builder.build()
        #expect(offer.media.allSatisfy { $0.transportProtocol == "RTP/AVP" && $0.cryptos.isEmpty })
    }

    @Test func missingKeysThrow() {
        var builder = Self.builder()
        builder.keys.video = [1, 2, 3]
        #expect(throws: SDESError.wrongKeyLength(expected: 30, actual: 3)) { try builder.build() }
        var content = Self.builder()
        content.ports.content = 10004
        content.keys.content = nil
        #expect(throws: SDESError.wrongKeyLength(expected: 30, actual: 0)) { try content.build() }
    }

    @Test func reofferBumpsVersionOnly() throws {
        let first = try Self.builder().build()
        var builder = Self.builder()
        builder.videoDirection = .sendrecv
        let second = try builder.build().bumpingVersion()
        #expect(second.origin.sessionVersion == 2)
        #expect(second.origin.sessionID == first.origin.sessionID)
        #expect(second.media[1].declaredDirection == .sendrecv)
    }
}
