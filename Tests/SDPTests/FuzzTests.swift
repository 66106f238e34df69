import Testing
@testable import SDP

/// Truncated, random and mangled input: the parser must throw or succeed, never trap, and whatever
/// it accepts must survive a serialize/parse round trip unchanged and go through negotiation.
@Suite struct FuzzTests {
    static let valid = [Fixtures.baresipAnswer, Fixtures.baresipOffer, Fixtures.chromeStyle, Fixtures.ipv6]
    static let kioskOffer = try! OfferBuilderTests.builder().build()

    static func exercise(_ bytes: [UInt8]) -> Bool {
        guard let sdp = try? SessionDescription(parsing: bytes) else { return false }
        #expect((try? SessionDescription(parsing: sdp.serialized())) == sdp)
        _ = try? OfferAnswer.negotiate(offer: kioskOffer, answer: sdp)
        _ = try? OfferAnswer.answer(
            offer: sdp, origin: AnswerTests.origin, localAddress: "192.0.2.10", ports: AnswerTests.ports,
            keys: Fixtures.keys, cameraAllowed: true)
        for media in sdp.media {
            _ = (media.rtpMaps, media.formatParameters.map(\.parameters.count), media.rtcpFeedback, media.cryptos,
                 media.direction(in: sdp), media.rtcp, media.content, media.ptime, media.framerate)
        }
        return true
    }

    @Test(arguments: 0..<valid.count)
    func everyPrefixOfValidSDP(index: Int) {
        let bytes = Array(Self.valid[index].utf8)
        var accepted = 0
        for length in 0...bytes.count where Self.exercise(Array(bytes[..<length])) { accepted += 1 }
        #expect(accepted > 0)
    }

    @Test func randomBytes() {
        var generator = SplitMix64(seed: 0x5D9_0001)
        for _ in 0..<3000 {
            _ = Self.exercise(generator.bytes(count: Int.random(in: 0...200, using: &generator)))
        }
    }

    @Test func randomLinesFromSDPAlphabet() {
        // Random lines built from SDP's own pieces reach deeper than random bytes.
        let pieces = ["v=0", "o=- 1 1 IN IP4 a", "s=-", "c=IN IP4 1.2.3.4", "t=0 0", "m=audio 1 RTP/SAVPF 111",
                      "m=video 2 RTP/AVP 96", "a=rtpmap:111 opus/48000/2", "a=rtpmap:96 VP8/90000", "a=rtcp-mux",
                      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)", "a=sendonly", "a=rtcp:9",
                      "a=content:slides", "a=rtcp-fb:* nack", "a=fmtp:111 a=b;c", "b=AS:1", "r=1", "m=audio 0 X",
                      "\u{301}", " ", "=", ":", "a=\u{600}:x", "o=a\u{600}\t1 2 IN IP4 x", "\r", ""]
        var generator = SplitMix64(seed: 0x5D9_0002)
        var accepted = 0
        for _ in 0..<3000 {
            // Most inputs start with a valid header so the rest of the body gets exercised.
            var text = Int.random(in: 0..<5, using: &generator) == 0 ? "" : "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n"
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                text += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
                if Int.random(in: 0..<4, using: &generator) != 0 { text += Bool.random(using: &generator) ? "\r\n" : "\n" }
            }
            if Self.exercise(Array(text.utf8)) { accepted += 1 }
        }
        #expect(accepted > 300)
    }

    @Test func mutatedValidSDP() {
        var generator = SplitMix64(seed: 0x5D9_0003)
        for round in 0..<3000 {
            var bytes = Array(Self.valid[round % Self.valid.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = Self.exercise(bytes)
        }
    }
}
