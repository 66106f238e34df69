import Crypto

/// A username and password, and the `Authorization` / `Proxy-Authorization` values they give for a
/// challenge (RFC 7616 §3.4 with qop=auth; RFC 2069 form when the server offers no qop).
public struct DigestCredentials: Sendable, Hashable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The header value answering `challenge` for a request `method` to `uri`. `cnonce` comes from the
    /// caller (random in use, fixed in tests); `nonceCount` counts uses of the same nonce, from 1.
    public func authorization(for challenge: DigestChallenge, method: String, uri: String,
                              cnonce: String, nonceCount: UInt32) -> String {
        let hash = Self.hasher(challenge.algorithm)
        var ha1 = hash("\(username):\(challenge.realm):\(password)")
        if challenge.algorithm == .md5Session || challenge.algorithm == .sha256Session {
            ha1 = hash("\(ha1):\(challenge.nonce):\(cnonce)")
        }
        let ha2 = hash("\(method):\(uri)")
        let useQop = challenge.qopOptions.contains("auth")
        let nc = Self.hex8(nonceCount)
        let response = useQop ? hash("\(ha1):\(challenge.nonce):\(nc):\(cnonce):auth:\(ha2)")
                              : hash("\(ha1):\(challenge.nonce):\(ha2)")
        var parts = [
            "username=\(Self.quoted(username))",
            "realm=\(Self.quoted(challenge.realm))",
            "nonce=\(Self.quoted(challenge.nonce))",
            "uri=\(Self.quoted(uri))",
            "response=\"\(response)\"",
            "algorithm=\(challenge.algorithm.rawValue)",
        ]
        if useQop { parts += ["cnonce=\(Self.quoted(cnonce))", "qop=auth", "nc=\(nc)"] }
        if let opaque = challenge.opaque { parts.append("opaque=\(Self.quoted(opaque))") }
        return "Digest " + parts.joined(separator: ", ")
    }

    static func hasher(_ algorithm: DigestChallenge.Algorithm) -> (String) -> String {
        switch algorithm {
        case .md5, .md5Session: return { hex(Insecure.MD5.hash(data: Array($0.utf8))) }
        case .sha256, .sha256Session: return { hex(SHA256.hash(data: Array($0.utf8))) }
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex8(_ n: UInt32) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
