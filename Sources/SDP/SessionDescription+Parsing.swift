extension SessionDescription {
    /// Parses an SDP body. Lines may end in CRLF or a bare LF; blank lines are skipped. Required:
    /// `v=`, `o=` and `s=` (each at most once) and well-formed `o=`, `c=`, `b=`, `t=` and `m=` lines.
    /// Lenient where real peers are: line order, unknown line types (dropped), a missing `t=`, an
    /// empty `s=`, runs of spaces between fields, session-level lines after the first `m=`.
    public init(parsing text: String) throws(SDPParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    public init(parsing bytes: [UInt8]) throws(SDPParseError) {
        var version: UInt32?
        var origin: SDPOrigin?
        var sessionName: String?
        var information: String?
        var uri: String?
        var emails: [String] = []
        var phones: [String] = []
        var connection: SDPConnection?
        var bandwidths: [SDPBandwidth] = []
        var times: [SDPTiming] = []
        var timeZones: String?
        var encryptionKey: String?
        var attributes: [SDPAttribute] = []
        var media: [MediaDescription] = []

        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            var contentEnd = end
            if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            defer { start = next }
            if bytes[start..<contentEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }

            let line = lineNumber
            guard contentEnd - start >= 2, Self.isLetter(bytes[start]), bytes[start + 1] == 0x3D else {
                throw SDPParseError(line: line, problem: .notATypedLine)
            }
            let type = Character(Unicode.Scalar(bytes[start]))
            let value = String(decoding: bytes[(start + 2)..<contentEnd], as: UTF8.self)
            let inMedia = !media.isEmpty

            switch type {
            case "v":
                guard version == nil else { throw SDPParseError(line: line, problem: .duplicateLine("v")) }
                guard let number = SDPText.decimal(SDPText.trimmed(value[...]), as: UInt32.self) else {
                    throw SDPParseError(line: line, problem: .badVersion)
                }
                version = number
            case "o":
                guard origin == nil else { throw SDPParseError(line: line, problem: .duplicateLine("o")) }
                origin = try Self.parseOrigin(value, line: line)
            case "s":
                guard sessionName == nil else { throw SDPParseError(line: line, problem: .duplicateLine("s")) }
                sessionName = value
            case "m":
                media.append(try Self.parseMediaLine(value, line: line))
            case "i":
                if inMedia {
                    if media[media.count - 1].information == nil { media[media.count - 1].information = value }
                } else if information == nil {
                    information = value
                }
            case "c":
                let parsed = try Self.parseConnection(value, line: line)
                if inMedia {
                    if media[media.count - 1].connection == nil { media[media.count - 1].connection = parsed }
                } else if connection == nil {
                    connection = parsed
                }
            case "b":
                let parsed = try Self.parseBandwidth(value, line: line)
                if inMedia { media[media.count - 1].bandwidths.append(parsed) } else { bandwidths.append(parsed) }
            case "k":
                if inMedia {
                    if media[media.count - 1].encryptionKey == nil { media[media.count - 1].encryptionKey = value }
                } else if encryptionKey == nil {
                    encryptionKey = value
                }
            case "a":
                let parsed = try Self.parseAttribute(value, line: line)
                if inMedia { media[media.count - 1].attributes.append(parsed) } else { attributes.append(parsed) }
            case "u":
                if uri == nil { uri = value }
            case "e":
                emails.append(value)
            case "p":
                phones.append(value)
            case "t":
                times.append(try Self.parseTiming(value, line: line))
            case "r":
                // A repeat belongs to the t= before it; one with no t= before it is dropped.
                if !times.isEmpty { times[times.count - 1].repeats.append(value) }
            case "z":
                if timeZones == nil { timeZones = value }
            default:
                break  // Unknown types are ignored (RFC 8866 §5 asks parsers to).
            }
        }

        guard let version else { throw SDPParseError(line: 0, problem: .missingLine("v")) }
        guard let origin else { throw SDPParseError(line: 0, problem: .missingLine("o")) }
        guard let sessionName else { throw SDPParseError(line: 0, problem: .missingLine("s")) }
        self.init(
            version: version, origin: origin, sessionName: sessionName, information: information, uri: uri,
            emails: emails, phones: phones, connection: connection, bandwidths: bandwidths, times: times,
            timeZones: timeZones, encryptionKey: encryptionKey, attributes: attributes, media: media)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func parseOrigin(_ value: String, line: Int) throws(SDPParseError) -> SDPOrigin {
        let fields = SDPText.fields(value)
        guard fields.count == 6,
            let sessionID = SDPText.decimal(fields[1], as: UInt64.self),
            let sessionVersion = SDPText.decimal(fields[2], as: UInt64.self)
        else { throw SDPParseError(line: line, problem: .badOrigin) }
        return SDPOrigin(
            username: String(fields[0]), sessionID: sessionID, sessionVersion: sessionVersion,
            networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }

    private static func parseConnection(_ value: String, line: Int) throws(SDPParseError) -> SDPConnection {
        let fields = SDPText.fields(value)
        guard fields.count == 3 else { throw SDPParseError(line: line, problem: .badConnection) }
        return SDPConnection(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    private static func parseBandwidth(_ value: String, line: Int) throws(SDPParseError) -> SDPBandwidth {
        let (type, number) = SDPText.split(SDPText.trimmed(value[...]), at: SDPText.colon)
        guard !type.isEmpty, let number, let parsed = SDPText.decimal(number, as: UInt64.self),
            SDPText.fields(type).count == 1
        else { throw SDPParseError(line: line, problem: .badBandwidth) }
        return SDPBandwidth(type: String(type), value: parsed)
    }

    private static func parseTiming(_ value: String, line: Int) throws(SDPParseError) -> SDPTiming {
        let fields = SDPText.fields(value)
        guard fields.count == 2, let start = SDPText.decimal(fields[0], as: UInt64.self),
            let stop = SDPText.decimal(fields[1], as: UInt64.self)
        else { throw SDPParseError(line: line, problem: .badTiming) }
        return SDPTiming(start: start, stop: stop)
    }

    private static func parseAttribute(_ value: String, line: Int) throws(SDPParseError) -> SDPAttribute {
        let (name, attributeValue) = SDPText.split(value[...], at: SDPText.colon)
        guard !name.isEmpty else { throw SDPParseError(line: line, problem: .badAttribute) }
        return SDPAttribute(String(name), attributeValue.map(String.init))
    }

    private static func parseMediaLine(_ value: String, line: Int) throws(SDPParseError) -> MediaDescription {
        let fields = SDPText.fields(value)
        guard fields.count >= 3 else { throw SDPParseError(line: line, problem: .badMediaLine) }
        let (portText, countText) = SDPText.split(fields[1], at: SDPText.slash)
        let port = try parsePort(portText, line: line)
        var count: UInt16?
        if let countText { count = try parsePort(countText, line: line) }
        return MediaDescription(
            mediaType: String(fields[0]), port: port, portCount: count,
            transportProtocol: String(fields[2]), formats: fields.dropFirst(3).map(String.init))
    }

    private static func parsePort(_ text: Substring, line: Int) throws(SDPParseError) -> UInt16 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw SDPParseError(line: line, problem: .badMediaLine)
        }
        guard let value = SDPText.decimal(text, as: UInt16.self) else {
            throw SDPParseError(line: line, problem: .portOutOfRange)
        }
        return value
    }
}
