extension SIPResponse {
    /// The response a UAS sends to `request` (RFC 3261 §8.2.6.2): Via fields, From, To, Call-ID
    /// and CSeq copied; `toTag` added to To when To has no tag yet (pass one for every response
    /// except 100 Trying, §8.2.6.1); a 100 also echoes Timestamp.
    public init(replyingTo request: SIPRequest, statusCode: Int, reasonPhrase: String? = nil, toTag: String? = nil) {
        self.init(statusCode: statusCode, reasonPhrase: reasonPhrase, copyingDialogHeadersFrom: request.headers, toTag: toTag)
    }

    /// The same from bare request headers, as kept in `SIPRequestContext` for unparsable requests.
    init(statusCode: Int, reasonPhrase: String?, copyingDialogHeadersFrom requestHeaders: SIPHeaders, toTag: String?) {
        var headers = SIPHeaders()
        headers.reserveCapacity(8)
        for field in requestHeaders where field.key == "via" {
            headers.add("Via", field.value)
        }
        if let from = requestHeaders["From"] { headers.add("From", from) }
        if var to = requestHeaders["To"] {
            if let toTag, !Self.hasTag(to) {
                to += ";tag=" + toTag
            }
            headers.add("To", to)
        }
        if let callID = requestHeaders["Call-ID"] { headers.add("Call-ID", callID) }
        if let cseq = requestHeaders["CSeq"] { headers.add("CSeq", cseq) }
        if statusCode == 100, let timestamp = requestHeaders["Timestamp"] { headers.add("Timestamp", timestamp) }
        self.init(statusCode: statusCode, reasonPhrase: reasonPhrase, headers: headers)
    }

    /// Whether a To value already has a tag. Parses when it can; a To that does not parse is
    /// checked textually so an error response can still be built.
    private static func hasTag(_ value: String) -> Bool {
        if let address = try? SIPNameAddress(parsing: value) { return address.tag != nil }
        let lower = SIPHeaders.asciiLowercased(value)
        let afterURI = lower.lastIndex(of: ">").map { lower[$0...] } ?? lower[...]
        return afterURI.contains(";tag=")
    }

    /// The reason phrases of RFC 3261 §21 and the common extensions; "Unknown" otherwise, by class.
    public static func standardReasonPhrase(for statusCode: Int) -> String {
        switch statusCode {
        case 100: "Trying"
        case 180: "Ringing"
        case 181: "Call Is Being Forwarded"
        case 182: "Queued"
        case 183: "Session Progress"
        case 199: "Early Dialog Terminated"
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Notification"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Moved Temporarily"
        case 305: "Use Proxy"
        case 380: "Alternative Service"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 412: "Conditional Request Failed"
        case 413: "Request Entity Too Large"
        case 414: "Request-URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Unsupported URI Scheme"
        case 420: "Bad Extension"
        case 421: "Extension Required"
        case 422: "Session Interval Too Small"
        case 423: "Interval Too Brief"
        case 428: "Use Identity Header"
        case 429: "Provide Referrer Identity"
        case 433: "Anonymity Disallowed"
        case 436: "Bad Identity-Info"
        case 437: "Unsupported Certificate"
        case 438: "Invalid Identity Header"
        case 439: "First Hop Lacks Outbound Support"
        case 470: "Consent Needed"
        case 480: "Temporarily Unavailable"
        case 481: "Call/Transaction Does Not Exist"
        case 482: "Loop Detected"
        case 483: "Too Many Hops"
        case 484: "Address Incomplete"
        case 485: "Ambiguous"
        case 486: "Busy Here"
        case 487: "Request Terminated"
        case 488: "Not Acceptable Here"
        case 489: "Bad Event"
        case 491: "Request Pending"
        case 493: "Undecipherable"
        case 494: "Security Agreement Required"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Server Time-out"
        case 505: "Version Not Supported"
        case 513: "Message Too Large"
        case 580: "Precondition Failure"
        case 600: "Busy Everywhere"
        case 603: "Decline"
        case 604: "Does Not Exist Anywhere"
        case 606: "Not Acceptable"
        case 607: "Unwanted"
        default: "Unknown"
        }
    }
}
