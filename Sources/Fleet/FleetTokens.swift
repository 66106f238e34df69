#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kiosk

/// Bearer-token checking for the fleet API, I/O-free: the configuration holds SHA-256 hashes, the
/// request carries the token; a listed-as-revoked token is refused even though its hash is known.
public struct FleetTokens: Sendable {
    public enum Outcome: Sendable, Equatable {
        case accepted(name: String)
        case missing
        case malformed
        case unknown
        case revoked(name: String?)

        /// What the 401 says (never which tokens exist).
        public var problem: String {
            switch self {
            case .accepted: return ""
            case .missing: return "no bearer token (Authorization: Bearer TOKEN)"
            case .malformed: return "the Authorization header is not 'Bearer TOKEN' (or Basic with the token as password)"
            case .unknown: return "the token is not accepted"
            case .revoked: return "the token has been revoked"
            }
        }
    }

    let names: [String: String]   // hash → name
    let revoked: Set<String>       // hashes

    public init(_ settings: FleetSettings) {
        var names: [String: String] = [:]
        for (name, hash) in settings.tokens { names[hash] = name }
        self.names = names
        var revoked: Set<String> = []
        for entry in settings.revoked {
            if let hash = settings.tokens[entry] { revoked.insert(hash) } else { revoked.insert(entry) }
        }
        self.revoked = revoked
    }

    /// The lower-case hex SHA-256 of a token, as `fleet.tokens` stores it (the same as `sha256sum`).
    public static func hash(_ token: String) -> String { sha256Hex(Array(token.utf8)) }

    public func check(authorization: String?) -> Outcome {
        guard let header = authorization else { return .missing }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return .malformed }
        let token: String
        switch parts[0].lowercased() {
        case "bearer":
            token = parts[1].trimmingCharacters(in: " \t")
        case "basic":
            // A browser (the status page) asks for a user and a password: any user, the token as password.
            guard let data = Data(base64Encoded: parts[1].trimmingCharacters(in: " \t")),
                  let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return .malformed }
            token = String(pair[pair.index(after: colon)...])
        default:
            return .malformed
        }
        guard !token.isEmpty else { return .malformed }
        let hash = Self.hash(token)
        if revoked.contains(hash) { return .revoked(name: names[hash]) }
        guard let name = names[hash] else { return .unknown }
        return .accepted(name: name)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
