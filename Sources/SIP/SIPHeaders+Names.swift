extension SIPHeaders {
    /// Long names in their usual spelling. Compact forms are RFC 3261 §7.3.3 and the IANA
    /// registry (o Event, r Refer-To, b Referred-By, u Allow-Events, x Session-Expires, ...).
    private static let knownNames: [String] = [
        "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow",
        "Allow-Events", "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact",
        "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Type",
        "CSeq", "Date", "Error-Info", "Event", "Expires", "From", "History-Info", "Identity",
        "Identity-Info", "In-Reply-To", "Max-Forwards", "MIME-Version", "Min-Expires", "Min-SE",
        "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Path", "Priority",
        "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "RAck", "Reason",
        "Record-Route", "Refer-To", "Referred-By", "Reject-Contact", "Replaces", "Reply-To",
        "Request-Disposition", "Require", "Retry-After", "Route", "RSeq", "Server", "Service-Route",
        "Session-Expires", "Subject", "Subscription-State", "Supported", "Timestamp", "To",
        "Unsupported", "User-Agent", "User-to-User", "Via", "Warning", "WWW-Authenticate",
    ]

    private static let compactForms: [String: String] = [
        "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
        "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To", "v": "Via",
        "o": "Event", "r": "Refer-To", "b": "Referred-By", "u": "Allow-Events", "x": "Session-Expires",
        "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition", "y": "Identity",
        "n": "Identity-Info",
    ]

    /// Lowercased name (long or compact) → (lookup key, canonical spelling).
    private static let table: [String: (key: String, canonical: String)] = {
        var table: [String: (key: String, canonical: String)] = [:]
        for name in knownNames {
            table[asciiLowercased(name)] = (asciiLowercased(name), name)
        }
        for (compact, long) in compactForms {
            table[compact] = (asciiLowercased(long), long)
        }
        return table
    }()

    /// Headers whose grammar is not a comma-separated list, or whose values hold commas that do
    /// not separate elements (challenges, credentials, dates, Authentication-Info's params).
    private static let singleValueKeys: Set<String> = [
        "www-authenticate", "proxy-authenticate", "authorization", "proxy-authorization",
        "authentication-info", "date", "call-id", "cseq", "from", "to", "max-forwards",
        "content-length", "content-type", "content-disposition", "expires", "min-expires", "min-se",
        "subject", "user-agent", "server", "organization", "timestamp", "retry-after", "priority",
        "mime-version", "refer-to", "referred-by", "identity", "identity-info", "event",
        "subscription-state", "session-expires", "rack", "rseq", "replaces",
    ]

    /// The lookup key of a header name: the lowercased long name.
    static func key(for name: String) -> String {
        let lower = asciiLowercased(name)
        return table[lower]?.key ?? lower
    }

    /// The usual spelling of a header name, long form for compact ones ("v" → "Via",
    /// "CALL-ID" → "Call-ID"); unknown names come back unchanged.
    public static func canonicalName(_ name: String) -> String {
        table[asciiLowercased(name)]?.canonical ?? name
    }

    /// Whether `values(_:)` splits this header at commas: not for the single-valued headers of
    /// RFC 3261 and its extensions, nor for unknown "X-" headers (the kiosk's own context
    /// headers carry free text). Other unknown headers are treated as lists.
    public static func isList(_ name: String) -> Bool { isListKey(key(for: name)) }

    static func isListKey(_ key: String) -> Bool {
        if singleValueKeys.contains(key) { return false }
        let utf8 = key.utf8
        if utf8.count >= 2, utf8.first == 0x78, utf8.dropFirst().first == 0x2D { return false }  // "x-"
        return true
    }

    /// The key for a name read off the wire, lowercased without a String round trip.
    static func key(forNameBytes bytes: [UInt8], _ range: Range<Int>) -> (name: String, key: String) {
        let name = String(decoding: bytes[range], as: UTF8.self)
        var hasUpper = false
        for i in range where (bytes[i] &- 0x41) < 26 {
            hasUpper = true
            break
        }
        let lower = hasUpper ? String(unsafeUninitializedCapacity: range.count) { buffer in
            var k = 0
            for i in range {
                buffer[k] = SIPCharacter.lowercased(bytes[i])
                k += 1
            }
            return k
        } : name
        return (name, table[lower]?.key ?? lower)
    }

    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { ($0 &- 0x41) < 26 }) else { return text }
        return String(decoding: text.utf8.map(SIPCharacter.lowercased), as: UTF8.self)
    }
}
