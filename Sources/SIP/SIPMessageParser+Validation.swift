extension SIPMessageParser {
    /// Checks a head and builds the message around `body`. Throws what the head was wrong with
    /// first, so a request gets the most telling status (505, then 400 for syntax, then 416).
    static func message(_ head: SIPMessageHead, _ bytes: [UInt8], body: Range<Int>) throws(SIPParseError) -> SIPMessage {
        switch head.startLine {
        case .malformedRequest:
            throw error(head, bytes, "Malformed Request-Line")
        case .request(let methodRange, let uriRange, let versionRange):
            guard bytes[methodRange].allSatisfy(SIPCharacter.isToken) else {
                throw error(head, bytes, "Bad Method")
            }
            if !SIPURI.matches(bytes, versionRange, "sip/2.0") {
                guard isVersion(bytes, versionRange) else { throw error(head, bytes, "Bad SIP-Version") }
                throw .versionNotSupported(
                    version: String(decoding: bytes[versionRange], as: UTF8.self),
                    context: context(head, bytes)
                )
            }
            try checkHeaderSection(head, bytes)
            let uri: SIPURI
            do {
                uri = try SIPURI.parse(bytes, uriRange)
            } catch {
                throw error.with(context: context(head, bytes), badRequestReason: "Bad Request-URI")
            }
            // RFC 3261 §19.1.5: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
            guard uri.headers.isEmpty else { throw Self.error(head, bytes, "Request-URI Has Headers") }
            let method = SIPMethod(String(decoding: bytes[methodRange], as: UTF8.self))
            try checkHeaders(head, bytes, method: method)
            return .request(SIPRequest(method: method, requestURI: uri, headers: head.headers, body: Array(bytes[body])))

        case .response(let versionRange, let statusRange, let reasonRange):
            guard SIPURI.matches(bytes, versionRange, "sip/2.0") else { throw .malformedResponse(reason: "Bad SIP-Version") }
            guard statusRange.count == 3, let status = SIPScanner.decimal(bytes, statusRange, as: UInt16.self),
                  (100...699).contains(status)
            else { throw .malformedResponse(reason: "Bad Status-Code") }
            try checkHeaderSection(head, bytes)
            try checkHeaders(head, bytes, method: nil)
            return .response(SIPResponse(
                statusCode: Int(status),
                reasonPhrase: String(decoding: bytes[reasonRange], as: UTF8.self),
                headers: head.headers,
                body: Array(bytes[body])
            ))
        }
    }

    private static func checkHeaderSection(_ head: SIPMessageHead, _ bytes: [UInt8]) throws(SIPParseError) {
        if let reason = head.headerError { throw error(head, bytes, reason) }
        if head.tooManyHeaders { throw error(head, bytes, "Too Many Headers") }
        if !head.isTerminated { throw error(head, bytes, "Incomplete Header Section") }
    }

    /// The mandatory fields of RFC 3261 §8.1.1 (Max-Forwards excepted, see the type's notes) and
    /// the typed fields a transaction layer will read. `method` is nil for responses.
    private static func checkHeaders(_ head: SIPMessageHead, _ bytes: [UInt8], method: SIPMethod?) throws(SIPParseError) {
        var via = 0, from = 0, to = 0, callID = 0, cseq = 0
        for field in head.headers.fields {
            switch field.key {
            case "via":
                via += 1
                guard (try? SIPVia.parseList(field.value)) != nil else { throw error(head, bytes, "Bad Via") }
            case "from":
                from += 1
                guard (try? SIPNameAddress(parsing: field.value)) != nil else { throw error(head, bytes, "Bad From") }
            case "to":
                to += 1
                guard (try? SIPNameAddress(parsing: field.value)) != nil else { throw error(head, bytes, "Bad To") }
            case "call-id":
                callID += 1
                guard !field.value.isEmpty, !field.value.utf8.contains(where: { $0 <= SIPCharacter.space }) else {
                    throw error(head, bytes, "Bad Call-ID")
                }
            case "cseq":
                cseq += 1
                let parsed: SIPCSeq
                do { parsed = try SIPCSeq(parsing: field.value) } catch { throw Self.error(head, bytes, "Bad CSeq") }
                if let method, parsed.method != method { throw Self.error(head, bytes, "CSeq Method Mismatch") }
            case "max-forwards":
                guard SIPScanner.decimal(field.value, as: UInt8.self) != nil else {
                    throw error(head, bytes, "Bad Max-Forwards")
                }
            case "contact":
                guard field.value == "*" || (try? SIPNameAddress.parseList(field.value)) != nil else {
                    throw error(head, bytes, "Bad Contact")
                }
            default:
                break
            }
        }
        guard via > 0 else { throw error(head, bytes, "Missing Via") }
        guard from > 0 else { throw error(head, bytes, "Missing From") }
        guard to > 0 else { throw error(head, bytes, "Missing To") }
        guard callID > 0 else { throw error(head, bytes, "Missing Call-ID") }
        guard cseq > 0 else { throw error(head, bytes, "Missing CSeq") }
        guard from == 1, to == 1, callID == 1, cseq == 1 else { throw error(head, bytes, "Duplicate Header") }
    }

    /// The Content-Length value, nil when absent. Digits only (RFC 4475 §3.1.2.3 sends -999);
    /// several fields must agree.
    static func contentLength(_ head: SIPMessageHead, _ bytes: [UInt8]) throws(SIPParseError) -> Int? {
        var length: Int?
        for field in head.headers.fields where field.key == "content-length" {
            guard let value = SIPScanner.decimal(field.value, as: UInt32.self), length == nil || length == Int(value) else {
                throw error(head, bytes, "Bad Content-Length")
            }
            length = Int(value)
        }
        return length
    }

    /// `"SIP/" 1*DIGIT "." 1*DIGIT`, any case: a version this stack does not speak → 505.
    private static func isVersion(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count >= 7, SIPURI.matches(bytes, range.lowerBound..<(range.lowerBound + 4), "sip/") else { return false }
        let rest = bytes[(range.lowerBound + 4)..<range.upperBound]
        guard let dot = rest.firstIndex(of: 0x2E), dot > rest.startIndex, dot + 1 < rest.endIndex else { return false }
        return rest[..<dot].allSatisfy(SIPCharacter.isDigit) && rest[(dot + 1)...].allSatisfy(SIPCharacter.isDigit)
    }

    /// A 400 with context for requests, a drop for responses.
    static func error(_ head: SIPMessageHead, _ bytes: [UInt8], _ reason: String) -> SIPParseError {
        head.isResponse ? .malformedResponse(reason: reason) : .badRequest(reason: reason, context: context(head, bytes))
    }

    static func context(_ head: SIPMessageHead, _ bytes: [UInt8]) -> SIPRequestContext? {
        let methodRange: Range<Int>?
        switch head.startLine {
        case .response: return nil
        case .request(let method, _, _): methodRange = method
        case .malformedRequest(let method): methodRange = method
        }
        let method = methodRange.flatMap { range -> SIPMethod? in
            guard bytes[range].allSatisfy(SIPCharacter.isToken) else { return nil }
            return SIPMethod(String(decoding: bytes[range], as: UTF8.self))
        }
        return SIPRequestContext(method: method, headers: head.headers)
    }
}
