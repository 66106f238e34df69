extension SIPNameAddress {
    /// Parses one `[display-name] <uri> *(;param)` or bare `addr-spec *(;param)`.
    public init(parsing text: some StringProtocol) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        self = try Self.scan(&scanner)
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw .invalidHeader(reason: "Bad Address") }
    }

    /// Every address in a comma-separated value (Contact, Route, Record-Route).
    public static func parseList(_ text: some StringProtocol) throws(SIPParseError) -> [SIPNameAddress] {
        var scanner = SIPScanner(text)
        var result: [SIPNameAddress] = []
        while true {
            result.append(try scan(&scanner))
            scanner.skipWhitespace()
            if scanner.isAtEnd { return result }
            guard scanner.consume(SIPCharacter.comma) else { throw .invalidHeader(reason: "Bad Address") }
        }
    }

    static func scan(_ scanner: inout SIPScanner) throws(SIPParseError) -> SIPNameAddress {
        scanner.skipWhitespace()
        var displayName: String?
        var bracketed = false
        if let quoted = try scanner.scanQuotedString() {
            displayName = unquote(scanner.bytes, quoted)
            scanner.skipWhitespace()
            guard scanner.current == SIPCharacter.lessThan else {
                throw .invalidHeader(reason: "Missing <> After Display Name")
            }
            bracketed = true
        } else {
            // *(token LWS) "<" — anything else (a ":" or a ",") means a bare addr-spec.
            let start = scanner.index
            while let c = scanner.current, SIPCharacter.isToken(c) || SIPCharacter.isWhitespace(c) {
                scanner.index += 1
            }
            if scanner.current == SIPCharacter.lessThan {
                var upper = scanner.index
                while upper > start, SIPCharacter.isWhitespace(scanner.bytes[upper - 1]) { upper -= 1 }
                if upper > start { displayName = scanner.string(start..<upper) }
                bracketed = true
            } else {
                scanner.index = start
            }
        }

        let uri: SIPURI
        if bracketed {
            scanner.index += 1  // "<"
            let start = scanner.index
            while let c = scanner.current, c != SIPCharacter.greaterThan {
                // RFC 4475 §3.1.2.14: no white space inside <...>.
                guard c > SIPCharacter.space else { throw .invalidHeader(reason: "White Space In URI") }
                scanner.index += 1
            }
            guard scanner.consume(SIPCharacter.greaterThan) else { throw .invalidHeader(reason: "Missing >") }
            uri = try SIPURI.parse(scanner.bytes, start..<(scanner.index - 1))
        } else {
            let start = scanner.index
            while let c = scanner.current, c > SIPCharacter.space, c != SIPCharacter.semicolon, c != SIPCharacter.comma {
                // RFC 3261 §20.10: a URI with "?" (or "," or ";") must be in angle brackets.
                guard c != SIPCharacter.question else { throw .invalidHeader(reason: "URI With Headers Needs <>") }
                guard c != SIPCharacter.lessThan, c != SIPCharacter.greaterThan, c != SIPCharacter.quote else {
                    throw .invalidHeader(reason: "Bad Address")
                }
                scanner.index += 1
            }
            guard scanner.index > start else { throw .invalidHeader(reason: "Missing URI") }
            uri = try SIPURI.parse(scanner.bytes, start..<scanner.index)
        }
        let parameters = try SIPParameters.scan(&scanner)
        return SIPNameAddress(displayName: displayName, uri: uri, parameters: parameters)
    }

    /// The content of a quoted-string with quoted-pairs resolved.
    static func unquote(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound + 1
        let end = range.upperBound - 1
        while i < end {
            if bytes[i] == SIPCharacter.backslash, i + 1 < end {
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
