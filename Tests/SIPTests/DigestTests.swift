import SIP
import Testing

/// RFC 7616 §3.9.1's worked example (HTTP, but the computation is the one SIP uses) and challenge parsing.
struct DigestTests {
    let example = DigestChallenge(realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                  opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qopOptions: ["auth"])
    let mufasa = DigestCredentials(username: "Mufasa", password: "Circle of Life")
    let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

    @Test func md5MatchesRFC7616() {
        let value = mufasa.authorization(for: example, method: "GET", uri: "/dir/index.html", cnonce: cnonce, nonceCount: 1)
        #expect(value.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""), "\(value)")
        #expect(value.contains("nc=00000001") && value.contains("qop=auth") && value.contains("algorithm=MD5"))
        #expect(value.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""))
        #expect(value.hasPrefix("Digest username=\"Mufasa\", realm=\"http-auth@example.org\""))
    }

    @Test func sha256MatchesRFC7616() {
        var challenge = example
        challenge.algorithm = .sha256
        let value = mufasa.authorization(for: challenge, method: "GET", uri: "/dir/index.html", cnonce: cnonce, nonceCount: 1)
        #expect(value.contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""), "\(value)")
        #expect(value.contains("algorithm=SHA-256"))
    }

    @Test func withoutQopTheRFC2069FormIsUsed() {
        // Without qop, response = MD5(HA1:nonce:HA2) (RFC 2069); the figure computed independently with
        // Python's hashlib for these inputs.
        let challenge = DigestChallenge(realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qopOptions: [])
        let value = mufasa.authorization(for: challenge, method: "GET", uri: "/dir/index.html", cnonce: "x", nonceCount: 1)
        #expect(value.contains("response=\"2951cdbad33b2271fcb6b8e7b8feac23\""), "\(value)")
        #expect(!value.contains("qop=") && !value.contains("cnonce="))
    }

    @Test func challengesParse() throws {
        let kamailio = try DigestChallenge(parsing: #"Digest realm="127.0.0.1", nonce="ZXhhbXBsZQ==", qop="auth""#)
        #expect(kamailio == DigestChallenge(realm: "127.0.0.1", nonce: "ZXhhbXBsZQ==", qopOptions: ["auth"]))
        let sha = try DigestChallenge(parsing: #"digest  realm="a b, c", algorithm=sha-256, nonce="n\"1", qop="auth,auth-int", stale=TRUE, opaque="o""#)
        #expect(sha.realm == "a b, c" && sha.nonce == "n\"1" && sha.algorithm == .sha256)
        #expect(sha.qopOptions == ["auth", "auth-int"] && sha.stale && sha.opaque == "o")
        #expect(DigestChallenge.preferred([kamailio, sha])?.algorithm == .sha256)
    }

    @Test func badChallengesAreRejected() {
        #expect(throws: DigestChallenge.ParseError.notDigest) { try DigestChallenge(parsing: "Basic realm=\"x\"") }
        #expect(throws: DigestChallenge.ParseError.missing("nonce")) { try DigestChallenge(parsing: "Digest realm=\"x\"") }
        #expect(throws: DigestChallenge.ParseError.malformed) { try DigestChallenge(parsing: "Digest realm=\"x\", nonce=\"y") }
        #expect(throws: DigestChallenge.ParseError.unsupportedAlgorithm("AKAv1-MD5")) {
            try DigestChallenge(parsing: "Digest realm=\"x\", nonce=\"y\", algorithm=AKAv1-MD5")
        }
    }
}
