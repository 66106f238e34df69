/// Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): the header section ends at
/// the empty line and the body is exactly Content-Length bytes, which is therefore mandatory.
/// Feed bytes with `append`, then call `next()` until it returns nil.
///
/// Keep-alives (RFC 5626 §3.5.1) come out as events: CRLFCRLF is a ping, a lone CRLF a pong. A
/// CRLF at the end of the buffered bytes is taken as a pong at once, so a client sees its pong
/// without waiting for more data; if the next read starts with CRLF, the two were a ping split
/// between reads and a ping follows (the extra pong is harmless, RFC 5626 §4.4.1 ignores it).
///
/// Errors are thrown from `next()` one at a time; the framer stays usable after them. When the
/// message's extent is known (a bad header but a readable Content-Length) only that message is
/// skipped; when it is not (no or bad Content-Length, an oversize header section) the buffer is
/// dropped and the transport should close the connection, since framing is lost.
public struct SIPStreamFramer: Sendable {
    public let parser: SIPMessageParser
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the end of the header section resumes.
    private var scanFrom = 0
    /// Body bytes of an oversize or rejected message still to skip.
    private var discard = 0
    /// The current message's header section end and body length, once known, while its body is
    /// still arriving (the body must not be searched for an empty line).
    private var pending: (headEnd: Int, length: Int)?
    /// The last event was a pong made of a CRLF that ended the buffered bytes; a CRLF right after
    /// it means that was the first half of a ping.
    private var pongEndedBuffer = false

    public init(parser: SIPMessageParser = SIPMessageParser()) {
        self.parser = parser
    }

    /// Bytes received but not yet handed out.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: [UInt8]) {
        if start > 0, start == buffer.count || (start >= 4096 && start * 2 >= buffer.count) {
            buffer.removeSubrange(0..<start)
            scanFrom -= start
            if let current = pending { pending = (current.headEnd - start, current.length) }
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        append(Array(bytes))
    }

    /// The next complete message or keep-alive, nil when more bytes are needed.
    public mutating func next() throws(SIPParseError) -> SIPStreamEvent? {
        if discard > 0 {
            let skipped = min(discard, buffer.count - start)
            start += skipped
            discard -= skipped
            scanFrom = start
            guard discard == 0 else { return nil }
        }
        let end = buffer.count
        while true {
            guard start < end else { return nil }
            let c = buffer[start]
            if c == SIPCharacter.lf {
                start += 1  // a stray LF between messages
                continue
            }
            guard c == SIPCharacter.cr else {
                pongEndedBuffer = false
                break
            }
            guard start + 1 < end else { return nil }
            guard buffer[start + 1] == SIPCharacter.lf else {
                start += 1  // a stray CR
                continue
            }
            if pongEndedBuffer {
                // The second half of a ping whose first CRLF already came out as a pong.
                pongEndedBuffer = false
                start += 2
                scanFrom = start
                return .keepAlivePing
            }
            if start + 3 < end, buffer[start + 2] == SIPCharacter.cr, buffer[start + 3] == SIPCharacter.lf {
                start += 4
                scanFrom = start
                return .keepAlivePing
            }
            if start + 3 == end, buffer[start + 2] == SIPCharacter.cr {
                return nil  // "\r\n\r": wait for the rest of a ping
            }
            start += 2
            scanFrom = start
            pongEndedBuffer = start == end
            return .keepAlivePong
        }

        if let (headEnd, length) = pending {
            guard end - headEnd >= length else { return nil }
            pending = nil
            return try complete(headEnd: headEnd, length: length)
        }

        // Find the empty line: LF followed by LF or CR LF.
        var i = max(scanFrom, start)
        var headEnd: Int?
        while i < end {
            if buffer[i] == SIPCharacter.lf {
                if i + 1 < end, buffer[i + 1] == SIPCharacter.lf {
                    headEnd = i + 2
                    break
                }
                if i + 2 < end, buffer[i + 1] == SIPCharacter.cr, buffer[i + 2] == SIPCharacter.lf {
                    headEnd = i + 3
                    break
                }
            }
            i += 1
        }
        guard let headEnd else {
            // The empty line is at most 3 bytes long, so it can only start in the last 2.
            scanFrom = max(start, end - 2)
            if end - start > parser.maxMessageSize {
                let head = SIPMessageHead.parse(buffer, from: start, to: end, maxHeaderCount: parser.maxHeaderCount)
                let error: SIPParseError = head.isResponse
                    ? .malformedResponse(reason: "Message Too Large")
                    : .messageTooLarge(limit: parser.maxMessageSize, context: SIPMessageParser.context(head, buffer))
                dropBuffer()
                throw error
            }
            return nil
        }

        let head = SIPMessageHead.parse(buffer, from: start, to: headEnd, maxHeaderCount: parser.maxHeaderCount)
        let length: Int
        do throws(SIPParseError) {
            guard let declared = try SIPMessageParser.contentLength(head, buffer) else {
                throw SIPMessageParser.error(head, buffer, "Missing Content-Length")
            }
            length = declared
        } catch {
            dropBuffer()
            throw error
        }
        guard headEnd - start + length <= parser.maxMessageSize else {
            let error: SIPParseError = head.isResponse
                ? .malformedResponse(reason: "Message Too Large")
                : .messageTooLarge(limit: parser.maxMessageSize, context: SIPMessageParser.context(head, buffer))
            start = headEnd
            scanFrom = start
            discard = length
            throw error
        }
        guard end - headEnd >= length else {
            pending = (headEnd, length)
            return nil
        }
        return try complete(head, headEnd: headEnd, length: length)
    }

    /// Hands out the message whose body is now complete; the next one starts after it either way.
    private mutating func complete(_ parsed: SIPMessageHead? = nil, headEnd: Int, length: Int) throws(SIPParseError) -> SIPStreamEvent {
        let head = parsed ?? SIPMessageHead.parse(buffer, from: start, to: headEnd, maxHeaderCount: parser.maxHeaderCount)
        let bodyRange = headEnd..<(headEnd + length)
        start = bodyRange.upperBound
        scanFrom = start
        return .message(try SIPMessageParser.message(head, buffer, body: bodyRange))
    }

    private mutating func dropBuffer() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        scanFrom = 0
        discard = 0
        pending = nil
    }
}
