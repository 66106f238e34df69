/// A digest challenge from a 401 (`WWW-Authenticate`) or 407 (`Proxy-Authenticate`), RFC 7616 as SIP
/// uses it (RFC 3261 §22.4, RFC 8760 for SHA-256).
public struct DigestChallenge: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case md5 = "MD5"
        case md5Session = "MD5-sess"
        case sha256 = "SHA-256"
        case sha256Session = "SHA-256-sess"

        /// Preference when a server offers several challenges: the stronger hash first.
        var strength: Int {
            switch self {
            case .sha256, .sha256Session: return 2
            case .md5, .md5Session: return 1
            }
        }
    }

    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: Algorithm
    /// The qop values offered (`auth`, `auth-int`); empty for an RFC 2069-style challenge.
    public var qopOptions: [String]
    /// The server says the nonce expired but the credentials were right: retry with the new nonce.
    public var stale: Bool

    public init(realm: String, nonce: String, opaque: String? = nil, algorithm: Algorithm = .md5,
                qopOptions: [String] = ["auth"], stale: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.stale = stale
    }

    public enum ParseError: Error, Equatable, Sendable {
        case notDigest
        case missing(String)
        case unsupportedAlgorithm(String)
        case malformed
    }

    /// Parses one challenge header value: `Digest realm="…", nonce="…", qop="auth", algorithm=SHA-256`.
    public init(parsing value: String) throws(ParseError) {
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "digest",
              trimmed.dropFirst(6).first.map({ $0 == " " || $0 == "\t" }) == true else { throw .notDigest }
        guard let params = AuthParameters.parse(trimmed.dropFirst(6)) else { throw .malformed }
        guard let realm = params["realm"] else { throw .missing("realm") }
        guard let nonce = params["nonce"] else { throw .missing("nonce") }
        var algorithm = Algorithm.md5
        if let name = params["algorithm"] {
            guard let a = Algorithm.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw .unsupportedAlgorithm(name)
            }
            algorithm = a
        }
        self.init(realm: realm, nonce: nonce, opaque: params["opaque"], algorithm: algorithm,
                  qopOptions: params["qop"].map { $0.split(separator: ",").map { $0.trimmingSpaces.lowercased() } } ?? [],
                  stale: params["stale"]?.lowercased() == "true")
    }

    /// Of several challenges in one response (a server may offer SHA-256 and MD5), the one to answer.
    public static func preferred(_ challenges: [DigestChallenge]) -> DigestChallenge? {
        challenges.max { $0.algorithm.strength < $1.algorithm.strength }
    }
}

/// `name=value, name="quoted value"` lists as digest headers carry them (RFC 7235 auth-param).
enum AuthParameters {
    /// Lower-cased names to unquoted values; nil when the list is malformed (an unterminated quote).
    static func parse(_ text: Substring) -> [String: String]? {
        var result: [String: String] = [:]
        var i = text.startIndex
        func skip(_ chars: Set<Character>) { while i < text.endIndex, chars.contains(text[i]) { i = text.index(after: i) } }
        while i < text.endIndex {
            skip([" ", "\t", ",", "\r", "\n"])
            guard i < text.endIndex else { break }
            let nameStart = i
            while i < text.endIndex, text[i] != "=", text[i] != "," { i = text.index(after: i) }
            let name = text[nameStart..<i].trimmingSpaces.lowercased()
            guard i < text.endIndex, text[i] == "=" else {
                if !name.isEmpty { result[name] = "" }
                continue
            }
            i = text.index(after: i)
            skip([" ", "\t"])
            var value = ""
            if i < text.endIndex, text[i] == "\"" {
                i = text.index(after: i)
                var closed = false
                while i < text.endIndex {
                    let c = text[i]
                    i = text.index(after: i)
                    if c == "\\", i < text.endIndex {
                        value.append(text[i])
                        i = text.index(after: i)
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { return nil }
            } else {
                let start = i
                while i < text.endIndex, text[i] != "," { i = text.index(after: i) }
                value = text[start..<i].trimmingSpaces
            }
            result[name] = value
        }
        return result
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
