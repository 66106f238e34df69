extension SIPVia {
    /// Parses one via-parm; a value with several (comma-separated) is rejected, use `parseList`.
    public init(parsing text: some StringProtocol) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        self = try Self.scan(&scanner)
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw .invalidHeader(reason: "Bad Via") }
    }

    /// Every via-parm in a Via header value, in order.
    public static func parseList(_ text: some StringProtocol) throws(SIPParseError) -> [SIPVia] {
        var scanner = SIPScanner(text)
        var result: [SIPVia] = []
        while true {
            result.append(try scan(&scanner))
            scanner.skipWhitespace()
            if scanner.isAtEnd { return result }
            guard scanner.consume(SIPCharacter.comma) else { throw .invalidHeader(reason: "Bad Via") }
        }
    }

    /// sent-protocol LWS sent-by *( SEMI via-params ), LWS allowed around "/" and ":".
    static func scan(_ scanner: inout SIPScanner) throws(SIPParseError) -> SIPVia {
        scanner.skipWhitespace()
        guard let name = scanner.scanToken() else { throw .invalidHeader(reason: "Bad Via Protocol") }
        scanner.skipWhitespace()
        guard scanner.consume(SIPCharacter.slash) else { throw .invalidHeader(reason: "Bad Via Protocol") }
        scanner.skipWhitespace()
        guard let version = scanner.scanToken() else { throw .invalidHeader(reason: "Bad Via Protocol") }
        scanner.skipWhitespace()
        guard scanner.consume(SIPCharacter.slash) else { throw .invalidHeader(reason: "Bad Via Protocol") }
        scanner.skipWhitespace()
        guard let transport = scanner.scanToken() else { throw .invalidHeader(reason: "Bad Via Transport") }
        let beforeHost = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > beforeHost else { throw .invalidHeader(reason: "Bad Via") }

        let host: String
        if scanner.consume(SIPCharacter.openBracket) {
            guard let inner = scanner.scan(while: SIPCharacter.isIPv6Char),
                  scanner.consume(SIPCharacter.closeBracket),
                  scanner.bytes[inner].contains(SIPCharacter.colon)
            else { throw .invalidHeader(reason: "Bad Via Host") }
            host = scanner.string(inner)
        } else {
            guard let name = scanner.scan(while: SIPCharacter.isHostChar) else {
                throw .invalidHeader(reason: "Bad Via Host")
            }
            host = scanner.string(name)
        }

        var port: UInt16?
        let afterHost = scanner.index
        scanner.skipWhitespace()
        if scanner.consume(SIPCharacter.colon) {
            scanner.skipWhitespace()
            guard let digits = scanner.scan(while: SIPCharacter.isDigit),
                  let value = SIPScanner.decimal(scanner.bytes, digits, as: UInt16.self)
            else { throw .invalidHeader(reason: "Bad Via Port") }
            port = value
        } else {
            scanner.index = afterHost
        }

        let parameters = try SIPParameters.scan(&scanner)
        return SIPVia(
            transport: scanner.string(transport),
            host: host,
            port: port,
            parameters: parameters,
            protocolName: scanner.string(name),
            protocolVersion: scanner.string(version)
        )
    }
}
