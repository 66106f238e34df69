extension SIPParameters {
    /// Reads `*( SEMI generic-param )` (RFC 3261 §25.1) with the linear white space the grammar
    /// allows around ";" and "=". Stops before anything that is not a ";" (a "," between list
    /// elements, or the end); the caller decides whether that is allowed there.
    static func scan(_ scanner: inout SIPScanner) throws(SIPParseError) -> SIPParameters {
        var items: [SIPParameter] = []
        while true {
            let mark = scanner.index
            scanner.skipWhitespace()
            guard scanner.consume(SIPCharacter.semicolon) else {
                scanner.index = mark
                break
            }
            scanner.skipWhitespace()
            guard let name = scanner.scanToken() else {
                throw .invalidHeader(reason: "Empty Parameter")
            }
            var value: String?
            let beforeEquals = scanner.index
            scanner.skipWhitespace()
            if scanner.consume(SIPCharacter.equals) {
                scanner.skipWhitespace()
                if let quoted = try scanner.scanQuotedString() {
                    value = scanner.string(quoted)
                } else if let plain = scanner.scan(while: SIPCharacter.isParameterValueChar) {
                    value = scanner.string(plain)
                } else {
                    throw .invalidHeader(reason: "Empty Parameter Value")
                }
            } else {
                scanner.index = beforeEquals
            }
            items.append(SIPParameter(name: scanner.string(name), value: value))
        }
        return SIPParameters(items)
    }
}
