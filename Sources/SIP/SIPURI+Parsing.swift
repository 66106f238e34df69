extension SIPURI {
    /// Parses a sip:, sips: or tel: URI. A well-formed other scheme throws
    /// `.unsupportedURIScheme`; anything off-grammar throws `.invalidURI`. No white space is
    /// allowed anywhere (RFC 4475 §3.1.2.8 puts "; lr" in a Request-URI to check that).
    public init(parsing text: some StringProtocol) throws(SIPParseError) {
        let bytes = Array(text.utf8)
        self = try Self.parse(bytes, 0..<bytes.count)
    }

    static func parse(_ bytes: [UInt8], _ range: Range<Int>) throws(SIPParseError) -> SIPURI {
        let end = range.upperBound
        var i = range.lowerBound
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        guard i < end, SIPCharacter.isAlpha(bytes[i]) else { throw .invalidURI(reason: "Missing URI Scheme") }
        while i < end, bytes[i] != SIPCharacter.colon {
            let c = bytes[i]
            guard SIPCharacter.isAlphanumeric(c) || c == 0x2B || c == 0x2D || c == 0x2E else {
                throw .invalidURI(reason: "Bad URI Scheme")
            }
            i += 1
        }
        guard i < end else { throw .invalidURI(reason: "Missing URI Scheme") }
        let schemeRange = range.lowerBound..<i
        let scheme: SIPURIScheme
        if Self.matches(bytes, schemeRange, "sip") {
            scheme = .sip
        } else if Self.matches(bytes, schemeRange, "sips") {
            scheme = .sips
        } else if Self.matches(bytes, schemeRange, "tel") {
            scheme = .tel
        } else {
            // The rest must still look like a URI; otherwise this is plain garbage.
            if bytes[(i + 1)..<end].contains(where: { $0 <= SIPCharacter.space || $0 >= 0x7F }) {
                throw .invalidURI(reason: "Bad URI")
            }
            throw .unsupportedURIScheme(scheme: String(decoding: bytes[schemeRange], as: UTF8.self), context: nil)
        }
        i += 1
        if scheme == .tel { return try parseTel(bytes, i..<end) }

        // userinfo ends at the last "@": "@" is allowed in no later component.
        var hostStart = i
        var user: String?
        var password: String?
        if let at = bytes[i..<end].lastIndex(of: SIPCharacter.at) {
            let colon = bytes[i..<at].firstIndex(of: SIPCharacter.colon)
            let userEnd = colon ?? at
            guard userEnd > i else { throw .invalidURI(reason: "Empty URI User") }
            try validate(bytes, i..<userEnd, SIPCharacter.isUserChar, "Bad URI User")
            user = String(decoding: bytes[i..<userEnd], as: UTF8.self)
            if let colon {
                try validate(bytes, (colon + 1)..<at, SIPCharacter.isPasswordChar, "Bad URI Password")
                password = String(decoding: bytes[(colon + 1)..<at], as: UTF8.self)
            }
            hostStart = at + 1
        }

        i = hostStart
        let host: String
        if i < end, bytes[i] == SIPCharacter.openBracket {
            guard let close = bytes[i..<end].firstIndex(of: SIPCharacter.closeBracket) else {
                throw .invalidURI(reason: "Unterminated IPv6 Reference")
            }
            let inner = (i + 1)..<close
            guard inner.count >= 2, bytes[inner].allSatisfy(SIPCharacter.isIPv6Char),
                  bytes[inner].contains(SIPCharacter.colon)
            else { throw .invalidURI(reason: "Bad IPv6 Reference") }
            host = String(decoding: bytes[inner], as: UTF8.self)
            i = close + 1
        } else {
            let start = i
            while i < end, SIPCharacter.isHostChar(bytes[i]) { i += 1 }
            guard i > start else { throw .invalidURI(reason: "Missing URI Host") }
            host = String(decoding: bytes[start..<i], as: UTF8.self)
        }

        var port: UInt16?
        if i < end, bytes[i] == SIPCharacter.colon {
            let start = i + 1
            i = start
            while i < end, SIPCharacter.isDigit(bytes[i]) { i += 1 }
            guard let value = SIPScanner.decimal(bytes, start..<i, as: UInt16.self) else {
                throw .invalidURI(reason: "Bad URI Port")
            }
            port = value
        }

        let (parameters, afterParameters) = try parseParameters(bytes, i..<end)
        i = afterParameters
        var headers: [SIPURIHeader] = []
        if i < end {
            guard bytes[i] == SIPCharacter.question else { throw .invalidURI(reason: "Bad URI") }
            i += 1
            while true {
                var j = i
                while j < end, bytes[j] != SIPCharacter.ampersand { j += 1 }
                guard let equals = bytes[i..<j].firstIndex(of: SIPCharacter.equals), equals > i else {
                    throw .invalidURI(reason: "Bad URI Header")
                }
                try validate(bytes, i..<equals, SIPCharacter.isURIHeaderChar, "Bad URI Header")
                try validate(bytes, (equals + 1)..<j, SIPCharacter.isURIHeaderChar, "Bad URI Header")
                headers.append(SIPURIHeader(
                    name: String(decoding: bytes[i..<equals], as: UTF8.self),
                    value: String(decoding: bytes[(equals + 1)..<j], as: UTF8.self)
                ))
                guard j < end else { break }
                i = j + 1
            }
        }
        return SIPURI(scheme: scheme, user: user, password: password, host: host, port: port,
                      parameters: parameters, headers: headers)
    }

    /// tel: global or local number, then parameters (RFC 3966 §3); no host, port or headers.
    private static func parseTel(_ bytes: [UInt8], _ range: Range<Int>) throws(SIPParseError) -> SIPURI {
        var i = range.lowerBound
        while i < range.upperBound, SIPCharacter.isTelChar(bytes[i]) { i += 1 }
        guard i > range.lowerBound else { throw .invalidURI(reason: "Empty Telephone Number") }
        let number = String(decoding: bytes[range.lowerBound..<i], as: UTF8.self)
        let (parameters, end) = try parseParameters(bytes, i..<range.upperBound)
        guard end == range.upperBound else { throw .invalidURI(reason: "Bad tel URI") }
        return SIPURI(scheme: .tel, user: number, host: "", parameters: parameters)
    }

    /// `*( ";" pname [ "=" pvalue ] )`, stopping at "?" or the end.
    private static func parseParameters(_ bytes: [UInt8], _ range: Range<Int>) throws(SIPParseError) -> (SIPParameters, Int) {
        var items: [SIPParameter] = []
        var i = range.lowerBound
        let end = range.upperBound
        while i < end, bytes[i] == SIPCharacter.semicolon {
            let start = i + 1
            var j = start
            while j < end, bytes[j] != SIPCharacter.semicolon, bytes[j] != SIPCharacter.question { j += 1 }
            let equals = bytes[start..<j].firstIndex(of: SIPCharacter.equals)
            let nameEnd = equals ?? j
            guard nameEnd > start else { throw .invalidURI(reason: "Empty URI Parameter") }
            try validate(bytes, start..<nameEnd, SIPCharacter.isParamChar, "Bad URI Parameter")
            var value: String?
            if let equals {
                try validate(bytes, (equals + 1)..<j, SIPCharacter.isParamChar, "Bad URI Parameter")
                value = String(decoding: bytes[(equals + 1)..<j], as: UTF8.self)
            }
            items.append(SIPParameter(name: String(decoding: bytes[start..<nameEnd], as: UTF8.self), value: value))
            i = j
        }
        return (SIPParameters(items), i)
    }

    /// Every byte is allowed by `allowed` or starts a well-formed %HH escape.
    private static func validate(
        _ bytes: [UInt8], _ range: Range<Int>, _ allowed: (UInt8) -> Bool, _ reason: String
    ) throws(SIPParseError) {
        var i = range.lowerBound
        while i < range.upperBound {
            let c = bytes[i]
            if c == SIPCharacter.percent {
                guard i + 2 < range.upperBound, SIPCharacter.isHex(bytes[i + 1]), SIPCharacter.isHex(bytes[i + 2]) else {
                    throw .invalidURI(reason: reason)
                }
                i += 3
                continue
            }
            guard allowed(c) else { throw .invalidURI(reason: reason) }
            i += 1
        }
    }

    static func matches(_ bytes: [UInt8], _ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        var k = 0
        for i in range {
            guard SIPCharacter.lowercased(bytes[i]) == expected[k] else { return false }
            k += 1
        }
        return true
    }
}
