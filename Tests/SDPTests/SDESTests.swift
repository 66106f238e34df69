import Testing
@testable import SDP

@Suite struct SDESTests {
    @Test func base64KnownVectors() {
        // RFC 4648 §10.
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                       ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.encode(Fixtures.audioKey) == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
    }

    @Test func base64RoundTripsEveryLength() {
        var generator = SplitMix64(seed: 0xBA5E_0064)
        for length in 0..<80 {
            let bytes = generator.bytes(count: length)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }

    @Test(arguments: ["Zg=", "Zg", "Z===", "Zm9v!A==", "Zm 9v", "Zh==", "Zm9=", "=Zm9", "Zg==Zg==", "Zm9vYg==\n", "ÿÿÿÿ"])
    func base64RejectsMalformed(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func makeAndSerialize() throws {
        let crypto = try SDESCrypto.make(tag: 1, keyAndSalt: Fixtures.audioKey)
        #expect(crypto.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        #expect(crypto.attribute.name == "crypto")
        #expect(try SDESCrypto(attributeValue: crypto.attributeValue) == crypto)
        let short = try SDESCrypto.make(tag: 7, suite: .aesCM128HMACSHA1_32, keyAndSalt: Fixtures.videoKey)
        #expect(short.attributeValue.hasPrefix("7 AES_CM_128_HMAC_SHA1_32 inline:"))
        #expect(throws: SDESError.wrongKeyLength(expected: 30, actual: 29)) {
            try SDESCrypto.make(tag: 1, keyAndSalt: Array(Fixtures.audioKey.dropLast()))
        }
        #expect(throws: SDESError.wrongKeyLength(expected: 46, actual: 30)) {
            try SDESCrypto.make(tag: 1, suite: .aes256CMHMACSHA1_80, keyAndSalt: Fixtures.audioKey)
        }
    }

    @Test func parsesLifetimeMKIAndSessionParameters() throws {
        let text = "12 AES_CM_128_HMAC_SHA1_32 inline:\(Fixtures.agentKeyText)|2^20|1:32;inline:\(Fixtures.agentKeyText)|1048575 KDR=1 UNENCRYPTED_SRTCP"
        let crypto = try SDESCrypto(attributeValue: text)
        #expect(crypto.tag == 12)
        #expect(crypto.suite == .aesCM128HMACSHA1_32)
        #expect(crypto.keyParameters == [
            SDESKeyParameter(keyAndSalt: Fixtures.agentKey, lifetime: 1 << 20, mki: .init(value: 1, length: 32)),
            SDESKeyParameter(keyAndSalt: Fixtures.agentKey, lifetime: 1_048_575),
        ])
        #expect(crypto.sessionParameters == ["KDR=1", "UNENCRYPTED_SRTCP"])
        #expect(crypto.attributeValue == text)
        #expect(try SDESCrypto(attributeValue: crypto.attributeValue) == crypto)
    }

    @Test func unknownSuiteStillParses() throws {
        let crypto = try SDESCrypto(attributeValue: "3 FUTURE_SUITE inline:Zm9v")
        #expect(crypto.suite.rawValue == "FUTURE_SUITE")
        #expect(crypto.suite.keyAndSaltLength == nil)
        #expect(crypto.keyAndSalt == Array("foo".utf8))
    }

    static let bad: [(String, SDESError)] = [
        ("", .malformed),
        ("1 AES_CM_128_HMAC_SHA1_80", .malformed),
        ("x AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)", .malformed),
        ("1234567890 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)", .malformed),
        ("1 AES_CM_128_HMAC_SHA1_80 uri:http://x", .unsupportedKeyMethod),
        ("1 AES_CM_128_HMAC_SHA1_80 \(Fixtures.agentKeyText)", .unsupportedKeyMethod),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:Zm9v", .badKey),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)=", .badKey),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText.dropLast())!", .badKey),
        ("1 FUTURE inline:", .badKey),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|2^64", .badKeyParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|1:0", .badKeyParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|1:129", .badKeyParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|1:4|2^31", .badKeyParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|x", .badKeyParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(Fixtures.agentKeyText)|1|2|3", .badKey),
    ]

    @Test(arguments: bad)
    func rejects(text: String, expected: SDESError) {
        #expect(throws: expected) { try SDESCrypto(attributeValue: text) }
    }

    @Test func lifetimeSerialization() {
        #expect(SDESKeyParameter(keyAndSalt: [1, 2, 3], lifetime: 1 << 31).text == "inline:AQID|2^31")
        #expect(SDESKeyParameter(keyAndSalt: [1, 2, 3], lifetime: 1000).text == "inline:AQID|1000")
        #expect(SDESKeyParameter(keyAndSalt: [1, 2, 3], lifetime: 0, mki: .init(value: 2, length: 4)).text == "inline:AQID|0|2:4")
    }
}
