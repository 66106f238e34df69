/// The start line and header fields of a message, read but not yet checked. Shared by the
/// datagram parser and the stream framer, which differ only in how the body is delimited.
/// Ranges index into the buffer the head was read from.
struct SIPMessageHead {
    enum StartLine {
        case request(method: Range<Int>, uri: Range<Int>, version: Range<Int>)
        case response(version: Range<Int>, status: Range<Int>, reason: Range<Int>)
        /// Not `Method SP Request-URI SP SIP-Version`; `method` is the first word, if any.
        case malformedRequest(method: Range<Int>?)
    }

    var startLine: StartLine
    var headers: SIPHeaders
    /// Why header parsing stopped early (a line that is neither a field nor a fold).
    var headerError: String?
    var tooManyHeaders = false
    /// Whether the empty line ending the header section was found.
    var isTerminated = false
    /// Where the body starts (just past the empty line).
    var bodyStart: Int

    var isResponse: Bool {
        if case .response = startLine { return true }
        return false
    }

    /// Reads from `start` up to the empty line or `end`. Leading CRLFs are skipped (RFC 3261
    /// §7.5); lines may end in CRLF or a bare LF; a line starting with SP/HT continues the
    /// previous field (§7.3.1). Never throws: problems are recorded for the validator, which
    /// can then still answer a request with what was readable.
    static func parse(_ bytes: [UInt8], from start: Int, to end: Int, maxHeaderCount: Int) -> SIPMessageHead {
        var i = start
        while i < end, bytes[i] == SIPCharacter.cr || bytes[i] == SIPCharacter.lf { i += 1 }
        let (startLineRange, afterStartLine) = line(bytes, from: i, to: end)
        var head = SIPMessageHead(
            startLine: parseStartLine(bytes, startLineRange),
            headers: SIPHeaders(),
            bodyStart: end
        )
        head.headers.reserveCapacity(16)
        i = afterStartLine

        var name: Range<Int>?
        var pieces: [Range<Int>] = []
        pieces.reserveCapacity(4)
        var count = 0
        while i < end {
            let (lineRange, next) = line(bytes, from: i, to: end)
            if lineRange.isEmpty {
                head.isTerminated = true
                head.bodyStart = next
                break
            }
            i = next
            let first = bytes[lineRange.lowerBound]
            if SIPCharacter.isWhitespace(first) {
                guard name != nil else {
                    head.headerError = "Bad Line Folding"
                    return head
                }
                pieces.append(lineRange)
                continue
            }
            if let pending = name { head.headers.appendParsed(field(bytes, pending, pieces)) }
            name = nil
            var j = lineRange.lowerBound
            while j < lineRange.upperBound, SIPCharacter.isToken(bytes[j]) { j += 1 }
            let nameRange = lineRange.lowerBound..<j
            while j < lineRange.upperBound, SIPCharacter.isWhitespace(bytes[j]) { j += 1 }
            guard !nameRange.isEmpty, j < lineRange.upperBound, bytes[j] == SIPCharacter.colon else {
                head.headerError = "Malformed Header Field"
                return head
            }
            count += 1
            guard count <= maxHeaderCount else {
                head.tooManyHeaders = true
                return head
            }
            name = nameRange
            pieces.removeAll(keepingCapacity: true)
            pieces.append((j + 1)..<lineRange.upperBound)
        }
        if let pending = name { head.headers.appendParsed(field(bytes, pending, pieces)) }
        return head
    }

    /// The line starting at `start` without its CR LF, and where the next line starts. An
    /// unterminated last line runs to `end`, and the next line then starts at `end`.
    @inline(__always)
    private static func line(_ bytes: [UInt8], from start: Int, to end: Int) -> (Range<Int>, Int) {
        var i = start
        while i < end, bytes[i] != SIPCharacter.lf { i += 1 }
        guard i < end else { return (start..<end, end) }
        var lineEnd = i
        if lineEnd > start, bytes[lineEnd - 1] == SIPCharacter.cr { lineEnd -= 1 }
        return (start..<lineEnd, i + 1)
    }

    private static func field(_ bytes: [UInt8], _ name: Range<Int>, _ pieces: [Range<Int>]) -> SIPHeaderField {
        let (nameText, key) = SIPHeaders.key(forNameBytes: bytes, name)
        let value: String
        if pieces.count == 1 {
            value = String(decoding: bytes[trimmed(bytes, pieces[0])], as: UTF8.self)
        } else {
            // A fold is one SP (RFC 3261 §7.3.1).
            var joined: [UInt8] = []
            for piece in pieces {
                let part = trimmed(bytes, piece)
                guard !part.isEmpty else { continue }
                if !joined.isEmpty { joined.append(SIPCharacter.space) }
                joined.append(contentsOf: bytes[part])
            }
            value = String(decoding: joined, as: UTF8.self)
        }
        return SIPHeaderField(name: nameText, value: value, key: key)
    }

    @inline(__always)
    private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, SIPCharacter.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, SIPCharacter.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Splits the start line. Runs of SP between the parts and trailing white space are
    /// tolerated (RFC 4475 §3.1.2.9, §3.1.2.10 allow a liberal receiver to); a request line with
    /// other than three parts (an LWS inside the Request-URI, §3.1.2.8) is malformed.
    private static func parseStartLine(_ bytes: [UInt8], _ range: Range<Int>) -> StartLine {
        var parts: [Range<Int>] = []
        var i = range.lowerBound
        let end = range.upperBound
        let isResponse = SIPURI.matches(bytes, range.lowerBound..<min(range.lowerBound + 4, end), "sip/")
        while i < end, parts.count < (isResponse ? 2 : 4) {
            while i < end, SIPCharacter.isWhitespace(bytes[i]) { i += 1 }
            guard i < end else { break }
            let start = i
            while i < end, !SIPCharacter.isWhitespace(bytes[i]) { i += 1 }
            parts.append(start..<i)
        }
        if isResponse {
            // Reason-Phrase is everything after the code and one SP, possibly empty.
            var reasonStart = i
            if reasonStart < end, SIPCharacter.isWhitespace(bytes[reasonStart]) { reasonStart += 1 }
            var reasonEnd = end
            while reasonEnd > reasonStart, SIPCharacter.isWhitespace(bytes[reasonEnd - 1]) { reasonEnd -= 1 }
            return .response(
                version: parts[0],
                status: parts.count > 1 ? parts[1] : end..<end,
                reason: reasonStart..<max(reasonStart, reasonEnd)
            )
        }
        guard parts.count == 3 else { return .malformedRequest(method: parts.first) }
        return .request(method: parts[0], uri: parts[1], version: parts[2])
    }
}
