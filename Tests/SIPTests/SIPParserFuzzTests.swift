import Testing
import SIP

/// Truncated, random and mangled input: the parser and framer must throw or succeed, never trap;
/// whatever they accept must serialize to something they accept again, and that second form
/// must be a fixed point.
@Suite struct SIPParserFuzzTests {
    /// Accepted input survives serialize → parse, and the second round changes nothing.
    private func checkRoundTrip(_ message: SIPMessage) throws {
        let lenient = SIPMessageParser(maxMessageSize: .max, maxHeaderCount: .max)
        let once = try lenient.parse(message.serialized())
        let twice = try lenient.parse(once.serialized())
        #expect(once == twice)
    }

    @Test func everyPrefixOfAnInvite() throws {
        let full = Wire.invite
        let headEnd = Wire.text(full).utf8.count - 549
        var framer = SIPStreamFramer()
        for length in 0...full.count {
            let prefix = Array(full[..<length])
            let accepted = (try? SIPMessageParser.parse(prefix)) != nil
            // Without the empty line, or with a body shorter than Content-Length, it is incomplete.
            #expect(accepted == (length == full.count), "prefix \(length) (head ends at \(headEnd))")
            framer = SIPStreamFramer()
            framer.append(prefix)
            let event = try framer.next()
            #expect((event != nil) == (length == full.count))
        }
    }

    @Test func randomGarbage() throws {
        var generator = SplitMix64(seed: 0x5EED_5109)
        for _ in 0..<20_000 {
            let bytes = generator.bytes(count: Int.random(in: 0...200, using: &generator))
            if let message = try? SIPMessageParser.parse(bytes) { try checkRoundTrip(message) }
            var framer = SIPStreamFramer()
            framer.append(bytes)
            for _ in 0..<4 { _ = try? framer.next() }
        }
    }

    /// Random lines built from SIP-ish pieces, so that some of them get deep into the parser.
    @Test func randomSIPishMessages() throws {
        var generator = SplitMix64(seed: 0x5EED_510A)
        let pieces = ["SIP/2.0", "INVITE", "sip:", "sips:", "tel:", "@", ":", ";", ",", " ", "\t", "\r\n", "\r\n ", "\n",
                      "\"", "\\", "<", ">", "=", "?", "&", "%", "%41", "[", "]", "::1", "5060", "z9hG4bK", "branch",
                      "tag", "Via", "v", "From", "f", "To", "t", "Call-ID", "i", "CSeq", "Max-Forwards", "Contact", "m",
                      "Content-Length", "l", "1", "0", "200", "OK", "a", "example.com", "\u{0}", "é", "*", "/", "UDP"]
        let skeleton = Wire.text(Wire.bytes("""
            INVITE sip:a@example.com SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:k@example.com>;tag=1
            To: <sip:a@example.com>
            Call-ID: c
            CSeq: 1 INVITE
            Content-Length: 0


            """))
        var accepted = 0
        for _ in 0..<5_000 {
            var text = Array(skeleton.utf8)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let piece = Array(pieces.randomElement(using: &generator)!.utf8)
                let at = Int.random(in: 0...text.count, using: &generator)
                if Bool.random(using: &generator), at < text.count {
                    text.replaceSubrange(at..<min(text.count, at + piece.count), with: piece)
                } else {
                    text.insert(contentsOf: piece, at: at)
                }
            }
            guard let message = try? SIPMessageParser.parse(text) else { continue }
            accepted += 1
            try checkRoundTrip(message)
            _ = message.request?.vias
            _ = message.headers.values("Contact")
        }
        #expect(accepted > 200)
    }

    @Test func byteFlipsInTortureMessages() throws {
        var generator = SplitMix64(seed: 0x5EED_510B)
        let valid = [Wire.invite, Wire.bytes("""
            SIP/2.0 180 Ringing
            v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport=1;received=2001:db8::2
            f: "A \\"B\\"" <sip:a@example.com>;tag=1
            t: sip:b@example.com;tag=2
            i: c@d
            CSeq: 9 INVITE
            m: <sip:b@[2001:db8::3];transport=tcp>;expires=5, "X" <sips:x@y>
            l: 0


            """)]
        for round in 0..<10_000 {
            var bytes = valid[round % valid.count]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let message = try? SIPMessageParser.parse(bytes) { try checkRoundTrip(message) }
        }
    }

    @Test func randomChunkingOfAStream() throws {
        var generator = SplitMix64(seed: 0x5EED_510C)
        let ping = Array("\r\n\r\n".utf8)
        let stream = Wire.invite + ping + Wire.invite + Wire.invite
        let expected = try SIPStreamEvent.message(SIPMessageParser.parse(Wire.invite))
        for _ in 0..<200 {
            var framer = SIPStreamFramer()
            var events: [SIPStreamEvent] = []
            var offset = 0
            while offset < stream.count {
                let size = Int.random(in: 1...300, using: &generator)
                framer.append(Array(stream[offset..<min(stream.count, offset + size)]))
                offset += size
                while let event = try framer.next() {
                    if event != .keepAlivePong { events.append(event) }
                }
            }
            // A ping split after its first CRLF also yields a pong first (ignored here).
            #expect(events == [expected, .keepAlivePing, expected, expected])
        }
    }
}
