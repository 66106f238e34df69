import Kiosk
import Testing
@testable import Fleet

struct FleetTokensTests {
    static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func hashIsSHA256HexAsSha256sumPrintsIt() {
        #expect(FleetTokens.hash("abc") == Self.abc)
        #expect(FleetSettings.isHash(FleetTokens.hash("anything")))
    }

    @Test func acceptsKnownRefusesUnknownRevokedAndMalformed() {
        let settings = FleetSettings(certificate: "c", key: "k",
                                     tokens: ["laptop": FleetTokens.hash("good"), "lost": FleetTokens.hash("old")],
                                     revoked: ["lost", FleetTokens.hash("deleted")])
        let tokens = FleetTokens(settings)
        #expect(tokens.check(authorization: "Bearer good") == .accepted(name: "laptop"))
        #expect(tokens.check(authorization: "bearer  good ") == .accepted(name: "laptop"))
        #expect(tokens.check(authorization: nil) == .missing)
        #expect(tokens.check(authorization: "Digest username=x") == .malformed)
        #expect(tokens.check(authorization: "Basic Zm9vOmJhcg==") == .unknown)   // foo:bar
        #expect(tokens.check(authorization: "Bearer ") == .malformed)
        #expect(tokens.check(authorization: "Bearer goo") == .unknown)
        #expect(tokens.check(authorization: "Bearer \(FleetTokens.hash("good"))") == .unknown, "the hash itself is no token")
        #expect(tokens.check(authorization: "Bearer old") == .revoked(name: "lost"))
        #expect(tokens.check(authorization: "Bearer deleted") == .revoked(name: nil))
        // Basic, for a browser: any user name, the token as the password.
        #expect(tokens.check(authorization: "Basic dGVjaDpnb29k") == .accepted(name: "laptop"))   // tech:good
        #expect(tokens.check(authorization: "Basic dGVjaDpvbGQ=") == .revoked(name: "lost"))      // tech:old
        #expect(tokens.check(authorization: "Basic Z29vZA==") == .malformed)                       // good (no colon)
        #expect(tokens.check(authorization: "Basic !!!") == .malformed)
    }
}

struct FleetConfigTests {
    static func parse(_ fleet: String) throws(ConfigError) -> KioskConfig {
        try KioskConfig.parse(Array(#"{ "kiosk": { "id": "K1" }, "fleet": \#(fleet) }"#.utf8), file: "k.json")
    }

    @Test func aFleetSectionIsRead() throws {
        let hash = FleetTokens.hash("t")
        let config = try Self.parse(#"{ "address": "127.0.0.1", "port": 9443, "certificate": "/c.pem", "key": "/k.pem", "tokens": { "a": "\#(hash)" }, "revoked": ["a"] }"#)
        #expect(config.fleet == FleetSettings(address: "127.0.0.1", port: 9443, certificate: "/c.pem", key: "/k.pem", tokens: ["a": hash], revoked: ["a"]))
        #expect(try KioskConfig.parse(Array(#"{ "kiosk": { "id": "K1" } }"#.utf8), file: "k.json").fleet == nil)
    }

    @Test(arguments: [
        (#"{ "key": "/k" }"#, "fleet.certificate"),
        (#"{ "certificate": "/c" }"#, "fleet.key"),
        (#"{ "certificate": "/c", "key": "/k", "port": 0 }"#, "fleet.port"),
        (#"{ "certificate": "/c", "key": "/k", "tokens": { "a": "plain-token" } }"#, "fleet.tokens.a"),
        (#"{ "certificate": "/c", "key": "/k", "revoked": ["nobody"] }"#, "fleet.revoked"),
        (#"{ "certificate": "/c", "key": "/k", "tls": true }"#, "tls"),
        (#"{ "certificate": "/c", "key": "/k", "clientCA": "" }"#, "fleet.clientCA"),
    ])
    func badFleetSettingsNameTheirKey(_ fleet: String, _ key: String) {
        do {
            _ = try Self.parse(fleet)
            Issue.record("accepted \(fleet)")
        } catch {
            #expect(error.key.hasSuffix(key), "\(error)")
        }
    }
}
