/// Why SIP input was rejected. Thrown instead of trapping: everything parsed here comes off the
/// network. A UAS answers a bad request with `statusCode` and `reasonPhrase` (RFC 3261 §8.2,
/// §21.4); `context` holds what was readable of the request so `response()` can build that answer.
/// A response that fails to parse is dropped (RFC 3261 §18.1.2 — never answer a response), which
/// is why `malformedResponse` has no status code.
public enum SIPParseError: Error, Sendable, Hashable {
    /// A URI that breaks RFC 3261 §19.1 (or RFC 3966 for tel:).
    case invalidURI(reason: String)
    /// A header field value that breaks its grammar, found while parsing that value alone.
    case invalidHeader(reason: String)
    /// A well-formed URI scheme other than sip, sips and tel. For a Request-URI the answer is 416.
    case unsupportedURIScheme(scheme: String, context: SIPRequestContext?)
    /// A request that must be answered with 400 Bad Request; `reason` goes into the status line.
    case badRequest(reason: String, context: SIPRequestContext?)
    /// The request's SIP-Version is well formed but not 2.0 (RFC 3261 §8.2.2 → 505).
    case versionNotSupported(version: String, context: SIPRequestContext?)
    /// The message is bigger than the parser's limit (RFC 3261 §21.5.14 → 513).
    case messageTooLarge(limit: Int, context: SIPRequestContext?)
    /// A response that failed to parse; it is discarded without an answer.
    case malformedResponse(reason: String)

    /// The status code of the response that is due, nil when none is (a broken response).
    public var statusCode: Int? {
        switch self {
        case .invalidURI, .invalidHeader, .badRequest: 400
        case .unsupportedURIScheme: 416
        case .versionNotSupported: 505
        case .messageTooLarge: 513
        case .malformedResponse: nil
        }
    }

    /// The reason phrase for that response: the specific cause for 400s ("Missing Call-ID").
    public var reasonPhrase: String {
        switch self {
        case .invalidURI(let reason), .invalidHeader(let reason), .badRequest(let reason, _),
             .malformedResponse(let reason):
            reason
        case .unsupportedURIScheme: "Unsupported URI Scheme"
        case .versionNotSupported: "Version Not Supported"
        case .messageTooLarge: "Message Too Large"
        }
    }

    /// The start line and header fields that were read before the error, for requests only.
    public var context: SIPRequestContext? {
        switch self {
        case .unsupportedURIScheme(_, let context), .badRequest(_, let context),
             .versionNotSupported(_, let context), .messageTooLarge(_, let context):
            context
        case .invalidURI, .invalidHeader, .malformedResponse:
            nil
        }
    }

    /// The error answer to send (RFC 3261 §8.2.6), or nil when none can be sent: the input was a
    /// response, or no Via header was readable so there is nowhere to send it.
    public func response(toTag: String? = nil) -> SIPResponse? {
        guard let statusCode, let context else { return nil }
        return context.response(statusCode: statusCode, reasonPhrase: reasonPhrase, toTag: toTag)
    }

    /// The same error carrying `context`; value-level errors become the 400 they cause.
    func with(context: SIPRequestContext?, badRequestReason: String) -> SIPParseError {
        switch self {
        case .unsupportedURIScheme(let scheme, _): .unsupportedURIScheme(scheme: scheme, context: context)
        case .badRequest(let reason, _): .badRequest(reason: reason, context: context)
        case .versionNotSupported(let version, _): .versionNotSupported(version: version, context: context)
        case .messageTooLarge(let limit, _): .messageTooLarge(limit: limit, context: context)
        case .invalidURI, .invalidHeader, .malformedResponse: .badRequest(reason: badRequestReason, context: context)
        }
    }
}
