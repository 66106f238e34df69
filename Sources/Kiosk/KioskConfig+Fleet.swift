/// The fleet HTTP API (`fleet` section): where it listens, its TLS certificate, and the bearer tokens a
/// fleet server or a technician's laptop may use. Tokens are stored as SHA-256 hashes (lower-case hex),
/// so the configuration file (and `config show`) never holds a usable token; a token is revoked by
/// listing its name (or its hash, once the name is gone) under `revoked`.
public struct FleetSettings: Sendable, Equatable {
    public var address: String
    public var port: Int
    /// PEM files: the server certificate (chain) and its private key.
    public var certificate: String
    public var key: String
    /// Token name → SHA-256 hash of the token (64 hex digits).
    public var tokens: [String: String]
    /// Names or hashes of tokens no longer accepted.
    public var revoked: Set<String>
    /// A PEM file of CA certificates: when set, a client must also show a certificate signed by one of
    /// them (mutual TLS) before any request, the token still required.
    public var clientCA: String?

    public init(address: String = "0.0.0.0", port: Int = 8443, certificate: String, key: String,
                tokens: [String: String] = [:], revoked: Set<String> = [], clientCA: String? = nil) {
        self.address = address
        self.port = port
        self.certificate = certificate
        self.key = key
        self.tokens = tokens
        self.revoked = revoked
        self.clientCA = clientCA
    }

    /// Whether `text` is a SHA-256 hash as the configuration stores it.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension KioskConfig {
    static func parseFleet(_ section: ConfigReader) throws(ConfigError) -> FleetSettings {
        var r = section
        let address = try r.string("address", default: "0.0.0.0")
        guard !address.isEmpty else { throw r.fail("address", "an empty address") }
        let port = try r.int("port", default: 8443, range: 1...65_535)
        guard let certificate = try r.optionalString("certificate"), !certificate.isEmpty else {
            throw r.fail("certificate", "missing: the API is served over TLS only (a PEM certificate file)")
        }
        guard let key = try r.optionalString("key"), !key.isEmpty else {
            throw r.fail("key", "missing: the PEM private key of the certificate")
        }
        var tokenSection = try r.section("tokens")
        var tokens: [String: String] = [:]
        for name in tokenSection.keys {
            let hash = try tokenSection.string(name, default: "")
            guard FleetSettings.isHash(hash) else {
                throw tokenSection.fail(name, "expected the token's SHA-256 as 64 lower-case hex digits (sha256sum), not the token itself")
            }
            tokens[name] = hash
        }
        let revoked = try r.strings("revoked")
        for (i, entry) in revoked.enumerated() where !FleetSettings.isHash(entry) && tokens[entry] == nil {
            throw r.fail("revoked", "entry \(i + 1) '\(entry)' is neither a token name under fleet.tokens nor a SHA-256 hash")
        }
        let clientCA = try r.optionalString("clientCA")
        if clientCA?.isEmpty == true { throw r.fail("clientCA", "an empty path (leave it out for no client certificates)") }
        try r.finish()
        return FleetSettings(address: address, port: port, certificate: certificate, key: key, tokens: tokens, revoked: Set(revoked),
                             clientCA: clientCA)
    }
}
